// The browser build of the bbcov wasm package (wasm/pkg/web, made by
// scripts/build-wasm.sh); its module file is copied next to the page.
import init from '../../pkg/web/bbcov_wasm.js';

export * from '../../pkg/web/bbcov_wasm.js';

/** Loads the wasm module from the page's folder. */
export function initBbcov() {
  return init({ module_or_path: new URL('bbcov_wasm_bg.wasm', document.baseURI) });
}
