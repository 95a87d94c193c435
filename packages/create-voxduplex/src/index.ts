#!/usr/bin/env node
import { runCli } from './cli';

process.exitCode = runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  nodeVersion: process.versions.node,
  print: (text) => console.log(text),
  printError: (text) => console.error(text),
});
