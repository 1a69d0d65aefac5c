// The subcommands of the one `credit-gateway` executable.
#pragma once

#include <string>
#include <vector>

namespace cg::cli {

using Argv = std::vector<std::string>;

int cmd_map(const Argv& args);
int cmd_mapping(const Argv& args);  // lint | test
int cmd_run(const Argv& args);
int cmd_check_config(const Argv& args);
int cmd_plugin_host(const Argv& args);
int cmd_export(const Argv& args);
int cmd_quarantine(const Argv& args);  // list | replay
int cmd_send(const Argv& args);
int cmd_plugin(const Argv& args);      // info
int cmd_deadletter(const Argv& args);  // list | show | replay
int cmd_reconcile(const Argv& args);
int cmd_sync(const Argv& args);
int cmd_jobs(const Argv& args);       // run NAME
int cmd_store(const Argv& args);      // init | check
int cmd_catalog(const Argv& args);    // lint | show
int cmd_objection(const Argv& args);  // raise | list
int cmd_check(const Argv& args);
int cmd_report(const Argv& args);  // shuanggongshi

// Finds the shared code-table folder: --tables, else config/code-tables in
// the working folder or above the given file.
std::string find_code_table_dir(const std::string& explicit_dir, const std::string& near_file);

}  // namespace cg::cli
