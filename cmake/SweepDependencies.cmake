# Third-party packages, and how the programs link them.
#
# Start-up time matters: an array child may train for 30 ms (bench/RESULTS.md, "Cold start"),
# and every shared library a program names is found, mapped and relocated at each exec. So with
# SWEEP_STATIC_DEPS (default) the programs link statically what Debian ships as archives:
#   - HDF5: Debian's libhdf5_serial.so is built with the read-only S3 driver, so it needs libcurl
#     and libcrypto and maps ~30 more shared objects (~8 ms); from libhdf5.a the linker takes
#     only the objects we call, not that driver, and --as-needed (SweepHelpers.cmake) drops the
#     libraries it would have needed;
#   - yaml-cpp (libyaml-cpp.a), fmt (header-only), and libstdc++/libgcc in sweep_program():
#     together ~1 ms more.
# libcurl is never linked: cloud/http.cc loads it on the first http(s)/s3:// request. What
# stays shared: libc, libm, zlib, libsz/libaec (HDF5's szip filter).
option(SWEEP_STATIC_DEPS "Link HDF5, yaml-cpp, fmt and libstdc++ statically into the programs" ON)

find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(CURL REQUIRED)  # only curl.h (see above)
find_package(ZLIB REQUIRED)
# libdeflate (Debian's libdeflate-dev, linked from its archive): whole-buffer gunzip 2-3x
# zlib's speed, for .gz data sets read at every worker start (data/gz_file.cc). Optional: without
# it zlib does all the work.
find_path(SWEEP_LIBDEFLATE_INCLUDE libdeflate.h)
find_library(SWEEP_LIBDEFLATE_LIBRARY NAMES libdeflate.a deflate)
if(SWEEP_LIBDEFLATE_INCLUDE AND SWEEP_LIBDEFLATE_LIBRARY)
  add_library(sweep_libdeflate INTERFACE)
  target_include_directories(sweep_libdeflate SYSTEM INTERFACE ${SWEEP_LIBDEFLATE_INCLUDE})
  target_link_libraries(sweep_libdeflate INTERFACE ${SWEEP_LIBDEFLATE_LIBRARY})
  target_compile_definitions(sweep_libdeflate INTERFACE SWEEP_HAVE_LIBDEFLATE=1)
else()
  message(WARNING "libdeflate (libdeflate-dev) not found: .gz data is inflated by zlib alone")
endif()
find_package(Threads REQUIRED)

set(HDF5_USE_STATIC_LIBRARIES ${SWEEP_STATIC_DEPS})
# A build folder configured with the other choice keeps FindHDF5's cached path: look again.
if(SWEEP_STATIC_DEPS)
  set(sweep_hdf5_suffix "[.]a$")
else()
  set(sweep_hdf5_suffix "[.]so$")
endif()
if(HDF5_C_LIBRARY_hdf5 AND NOT HDF5_C_LIBRARY_hdf5 MATCHES "${sweep_hdf5_suffix}")
  unset(HDF5_C_LIBRARY_hdf5 CACHE)
endif()
find_package(HDF5 REQUIRED COMPONENTS C)
if(SWEEP_STATIC_DEPS)
  # FindHDF5's target names only the archive; what the archive needs is in HDF5_C_LIBRARIES.
  set(sweep_hdf5_deps ${HDF5_C_LIBRARIES})
  list(REMOVE_ITEM sweep_hdf5_deps ${HDF5_C_LIBRARY_hdf5})
  set_property(TARGET hdf5::hdf5 APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${sweep_hdf5_deps})
endif()

# sweep_yaml_cpp and sweep_fmt: what our targets link for yaml-cpp and fmt.
add_library(sweep_yaml_cpp INTERFACE)
add_library(sweep_fmt INTERFACE)
if(SWEEP_STATIC_DEPS)
  find_library(SWEEP_YAML_CPP_ARCHIVE NAMES libyaml-cpp.a REQUIRED)
  get_target_property(sweep_yaml_include yaml-cpp INTERFACE_INCLUDE_DIRECTORIES)
  target_include_directories(sweep_yaml_cpp INTERFACE ${sweep_yaml_include})
  target_link_libraries(sweep_yaml_cpp INTERFACE ${SWEEP_YAML_CPP_ARCHIVE})
  target_link_libraries(sweep_fmt INTERFACE fmt::fmt-header-only)
else()
  target_link_libraries(sweep_yaml_cpp INTERFACE yaml-cpp)
  target_link_libraries(sweep_fmt INTERFACE fmt::fmt)
endif()

# Serving (sweep/predict, sweep/serve): RapidJSON parses request bodies (header-only; what
# TF Serving itself parses its REST bodies with, NaN/Infinity tokens included), Boost.Beast
# (header-only, over Boost.Asio) is the HTTP server.
find_path(RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
add_library(sweep_rapidjson INTERFACE)
target_include_directories(sweep_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
if(SWEEP_SANITIZE)
  # RapidJSON 1.1.0's internal::Stack adds 0 to a null pointer (stack.h:117), which UBSan reports;
  # the check is off in the files that include it (the rest keep it).
  target_compile_options(sweep_rapidjson INTERFACE -fno-sanitize=pointer-overflow)
endif()
find_package(Boost 1.74 REQUIRED)
