// Compiled only to build the tests' shared precompiled header (tests/CMakeLists.txt).
