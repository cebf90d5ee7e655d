# The abusive-content benchmark (docs/BENCHMARKS.md), included from bench/CMakeLists.txt.
# fb-abuse-bench: MB/s of fb_abuse_check over the development texts (../shared/data/abuse).
add_executable(fb-abuse-bench abuse_bench.c bench_records.c)
target_link_libraries(fb-abuse-bench PRIVATE feedback_static ZLIB::ZLIB m)
target_compile_definitions(fb-abuse-bench PRIVATE
  FB_BENCH_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data/abuse")
if(FB_BUILD_TESTS)
  add_test(NAME bench_abuse_smoke
    COMMAND sh -c "out=$(\"$0\" --runs 1 --texts 300) && printf '%s\\n' \"$out\" | grep -q '^| both |'"
      $<TARGET_FILE:fb-abuse-bench>)
  set_tests_properties(bench_abuse_smoke PROPERTIES LABELS bench)
endif()
