// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

//! The natter desktop app's entry point. It lives in ui/ so that app/natter/main.cpp, like
//! everything in app/, includes nothing from Qt Widgets.
namespace DesktopApp {
int run(int argc, char *argv[]);
} // namespace DesktopApp
