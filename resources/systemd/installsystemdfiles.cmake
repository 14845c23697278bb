# SPDX-License-Identifier: GPL-3.0-or-later
# Runs at install time (`cmake --install`, and cpack, which installs with prefix /usr), because
# only then is the final prefix known: the unit must name the installed natter-server, and the
# environment file belongs in /etc for a /usr install but under the prefix otherwise (the rule
# GNUInstallDirs applies to CMAKE_INSTALL_FULL_SYSCONFDIR). Expects, set by install(CODE):
#   natter_unit_template, natter_environment_source, natter_unit_dir, natter_bindir

function(natter_absolute out path)
  if(IS_ABSOLUTE "${path}")
    set(${out} "${path}" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_INSTALL_PREFIX}/${path}" PARENT_SCOPE)
  endif()
endfunction()

# Writes CONTENT to the installed path DEST (honouring DESTDIR) and records it in the manifest.
function(natter_install_content dest content)
  set(staged "$ENV{DESTDIR}${dest}")
  message(STATUS "Installing: ${staged}")
  get_filename_component(dir "${staged}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${staged}" "${content}")
  file(CHMOD "${staged}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  set(CMAKE_INSTALL_MANIFEST_FILES ${CMAKE_INSTALL_MANIFEST_FILES} "${staged}" PARENT_SCOPE)
endfunction()

string(REGEX REPLACE "/+$" "" natter_prefix "${CMAKE_INSTALL_PREFIX}")
if(natter_prefix STREQUAL "" OR natter_prefix STREQUAL "/usr")
  set(natter_sysconfdir "/etc")
else()
  set(natter_sysconfdir "${natter_prefix}/etc")
endif()

natter_absolute(natter_bindir_full "${natter_bindir}")
natter_absolute(natter_unit_dir_full "${natter_unit_dir}")
set(NATTER_SERVER_EXECUTABLE "${natter_bindir_full}/natter-server")
set(NATTER_ENVIRONMENT_FILE "${natter_sysconfdir}/default/natter-server")

file(READ "${natter_unit_template}" natter_unit)
string(CONFIGURE "${natter_unit}" natter_unit @ONLY)
natter_install_content("${natter_unit_dir_full}/natter-server.service" "${natter_unit}")

# The environment file is the administrator's: never overwrite one that is already there (the
# Debian package installs into an empty staging tree and marks the file as a conffile instead).
if(EXISTS "$ENV{DESTDIR}${NATTER_ENVIRONMENT_FILE}")
  message(STATUS "Keeping existing: $ENV{DESTDIR}${NATTER_ENVIRONMENT_FILE}")
else()
  file(READ "${natter_environment_source}" natter_environment)
  natter_install_content("${NATTER_ENVIRONMENT_FILE}" "${natter_environment}")
endif()
