// protobufjs as a module for a page without a bundler: its UMD build (loaded by a classic
// <script> before this) leaves the library on globalThis.protobuf.
export default globalThis.protobuf;
