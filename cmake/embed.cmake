# embed_files(OUT SYMBOL files...) writes a C file that defines
#   const struct embedded_file SYMBOL[];  (terminated by a {NULL} entry)
# holding each file's bytes, so the program carries its migrations, templates,
# static files and catalogues and needs nothing on disk at run time.
function(embed_files out symbol)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} "-DFILES=${ARGN}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${ARGN} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake VERBATIM)
endfunction()
