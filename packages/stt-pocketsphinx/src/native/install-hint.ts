/** The Debian command that installs everything this package loads at run time. */
export const POCKETSPHINX_INSTALL_LINE =
  'sudo apt-get install -y --no-install-recommends libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us';
