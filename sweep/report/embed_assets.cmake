# cmake -DASSET_DIR=... -DOUT=... -P embed_assets.cmake
# Writes OUT, a header with the report page's files as string constants (raw literals), so the
# `sweep` binary carries its page and the report needs nothing beside it. Re-run by the build
# whenever an asset changes (sweep/report/CMakeLists.txt).
set(header "// Generated from sweep/report/assets by embed_assets.cmake: do not edit.\n#pragma once\n#include <string_view>\nnamespace sweep::report::assets {\n")
foreach(pair "kPageHtml:page.html" "kReportCss:report.css" "kReportJs:report.js")
  string(REPLACE ":" ";" parts "${pair}")
  list(GET parts 0 name)
  list(GET parts 1 file)
  file(READ "${ASSET_DIR}/${file}" text)
  string(FIND "${text}" ")SWEEP_ASSET\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-literal delimiter )SWEEP_ASSET\"")
  endif()
  string(APPEND header "inline constexpr std::string_view ${name} = R\"SWEEP_ASSET(${text})SWEEP_ASSET\";\n")
endforeach()
string(APPEND header "}  // namespace sweep::report::assets\n")
file(WRITE "${OUT}.tmp" "${header}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
