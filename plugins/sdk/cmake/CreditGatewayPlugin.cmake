# credit_gateway_add_plugin(TARGET SOURCE...): a Credit Gateway plugin, a
# shared library that exports only its entry points and builds against the
# SDK (CreditGateway::sdk). Installed with the SDK; the repository's own
# plugins use it too, with the project's warnings and output folder.
function(credit_gateway_add_plugin target)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE CreditGateway::sdk)
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(COMMAND cg_set_warnings)  # in the gateway's repository
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
    cg_set_warnings(${target})
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra)
  endif()
endfunction()
