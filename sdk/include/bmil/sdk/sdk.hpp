// The whole plugin SDK in one include.
#ifndef BMIL_SDK_SDK_HPP_
#define BMIL_SDK_SDK_HPP_

#include <bmil/abi.h>
#include <bmil/sdk/analyzer.hpp>
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/case_view.hpp>
#include <bmil/sdk/error.hpp>
#include <bmil/sdk/leadership_line.hpp>
#include <bmil/sdk/model.hpp>
#include <bmil/sdk/result_builder.hpp>
#include <bmil/sdk/threat.hpp>
#include <bmil/sdk/vocabulary.hpp>

#endif  // BMIL_SDK_SDK_HPP_
