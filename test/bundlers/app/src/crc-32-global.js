// crc-32 as a module for a page without a bundler: its UMD build (loaded by a classic <script>
// before this) leaves the library on globalThis.CRC32.
export default globalThis.CRC32;
