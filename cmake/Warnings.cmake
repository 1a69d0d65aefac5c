# The project's own code builds with these warnings. They are errors where
# the project's scripts and CI build it (CG_WERROR=ON, set by
# scripts/build.sh), not in a user's plain build, where a compiler's new or
# false warning must not stop it.
option(CG_WERROR "Treat warnings as errors" OFF)

function(cg_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic
    -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
    -Wconversion -Wsign-conversion -Wdouble-promotion
    -Wformat=2 -Wimplicit-fallthrough)
  if(CG_UNITY AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # A test fixture in a file's anonymous namespace is no longer in the
    # unit's main file; the warning is meant for headers.
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
  if(CG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
