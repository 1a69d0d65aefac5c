// The department API (department-api.md): what departments' own systems call,
// on a listener of its own, never the admin API's. Each call carries a
// department token (Authorization: Bearer), bound to one department: a
// missing or unknown token is 401, a token acting for another department
// 403. Every authenticated call is audited with the department, the token's
// name, what was asked and what was answered.
#pragma once

#include <functional>
#include <memory>

#include "catalog/catalog_history.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace cg::department_api {

class DepartmentServer {
 public:
  using OpenStore = std::function<Result<std::unique_ptr<store::Store>>()>;

  // `open_store` gives the API its own connection to the store.
  DepartmentServer(config::Config cfg, OpenStore open_store);
  ~DepartmentServer();
  DepartmentServer(const DepartmentServer&) = delete;
  DepartmentServer& operator=(const DepartmentServer&) = delete;

  Status start();  // binds, then serves on a thread
  void stop();
  // The catalog versions that checks are answered by from now on (a reload).
  void use_catalogs(catalog::CatalogHistory catalogs);
  [[nodiscard]] uint16_t port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace cg::department_api
