// The gateway's signals: SIGTERM and SIGINT ask it to stop (its plugins drain
// first), SIGHUP to reload its config file; SIGPIPE is ignored.
#pragma once

namespace cg::gateway::signals {

void install();
// The signal that asked for a stop, or 0.
int stop_requested();
// Whether SIGHUP came since the last call.
bool take_reload();

}  // namespace cg::gateway::signals
