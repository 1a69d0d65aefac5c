// Errors as values: every module and plugin boundary returns Result<T>. The
// types are the SDK's, so that core and plugins speak one vocabulary.
#pragma once

#include <credit_gateway/support/result.hpp>

namespace cg {

using sdk::Error;
using sdk::make_error;
using sdk::Result;
using sdk::Status;

}  // namespace cg
