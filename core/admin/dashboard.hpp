// The web dashboard: one page, built into the binary, no CDN.
#pragma once

#include <string>

namespace cg::admin {
const std::string& dashboard_html();
}
