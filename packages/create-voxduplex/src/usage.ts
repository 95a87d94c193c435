/** What `--help` prints, and what follows a usage error. */
export const USAGE = `Usage: npm create voxduplex@latest <directory> [-- --nest --force]
       create-voxduplex <directory> [--nest] [--force]

Writes a voxduplex voice agent starter into <directory>: a server with the agent on Socket.IO
and a Vite + React page. Offline by default (PocketSphinx, Silero VAD, Flite, the demo brain);
its README says how to switch to OpenAI, Google or Azure. Asks no questions.

Options:
  --nest       a NestJS server (with @voxduplex/nestjs) instead of Express
  --force, -f  write into a directory that is not empty (files of the same name are replaced,
               others are kept)
  --help, -h   this text

With npm create, put the options after "--": npm create voxduplex@latest my-agent -- --nest`;
