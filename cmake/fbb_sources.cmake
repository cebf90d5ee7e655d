# The C half of the bindings (bindings/fbb_*.c): its sources, for the SWIG
# modules (bindings/) and for its C test (tests/bindings/), and the threads
# fbb_columns_read reads the parts of a log on where POSIX threads exist.
set(FBB_SOURCES)
foreach(name fbb_io fbb_columns fbb_columns_read fbb_dict fbb_chain fbb_summary fbb_misc)
  list(APPEND FBB_SOURCES ${PROJECT_SOURCE_DIR}/bindings/${name}.c)
endforeach()
find_package(Threads)

# fbb_use_threads(target): target reads with threads when there are POSIX threads.
function(fbb_use_threads target)
  if(CMAKE_USE_PTHREADS_INIT)
    target_compile_definitions(${target} PRIVATE FBB_THREADS)
    target_link_libraries(${target} PRIVATE Threads::Threads)
  endif()
endfunction()
