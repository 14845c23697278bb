// SPDX-License-Identifier: GPL-3.0-or-later
// natter: the Widgets desktop app. Everything that needs Widgets is in ui/.
#include "desktopapp.h"

int main(int argc, char *argv[])
{
    return DesktopApp::run(argc, argv);
}
