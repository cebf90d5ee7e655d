# The abusive-content benchmark (docs/BENCHMARKS.md), included from bench/CMakeLists.txt.
