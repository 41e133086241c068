// The translation unit the bundled plugins' precompiled header is built with
// (plugins/CMakeLists.txt); it defines nothing.
