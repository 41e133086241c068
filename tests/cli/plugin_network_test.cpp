// No network for a plugin in a child (issue 16, docs/plugin-isolation.md "No network"): the
// hostile_network fixture (tests/fixtures/plugins/hostile/hostile.c, mode 10) opens a TCP
// socket in add() and connects to a listener of this test on 127.0.0.1; its result says how
// socket() and connect() went. In a child the seccomp filter refuses the socket with EACCES;
// --allow-network lets it connect; a plugin in bmil's own process is never filtered.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <fstream>

namespace bmil::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

#if defined(BMIL_HAVE_SECCOMP)
constexpr bool kHaveSeccomp = true;
#else
constexpr bool kHaveSeccomp = false;
#endif

// A TCP listener on 127.0.0.1, on a port the kernel picks; counts the connections made to it.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1: " << std::strerror(errno);
    }
    port_ = ntohs(address.sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int port() const { return port_; }
  // Accepts every connection waiting (the plugin has closed its end by now); their number.
  int Accepted() {
    int count = 0;
    for (int fd; (fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0; ++count) ::close(fd);
    return count;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class PluginNetwork : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path plugins = dir_.path() / "plugins";
    fs::create_directories(plugins);
    fs::copy(fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "hostile_network" / "hostile_network.so",
             plugins / "hostile_network.so");
    // The fixture connects to the port its trigger case's id ends with.
    auto c = nlohmann::json::parse(
        Slurp(fs::path(BMIL_SOURCE_DIR) / "examples" / "cases" / "kellpo.json"));
    c["business"]["id"] = "trigger_" + std::to_string(listener_.port());
    std::ofstream(dir_.path() / "case.json") << c.dump();
  }
  std::string Plugins() const {
    return "--plugin-dir " + Quote((dir_.path() / "plugins").string()) + " ";
  }
  // errno of the fixture's socket() and connect() (0: it worked, -1: not called) in a run of
  // `bmil OPTIONS analyze`.
  std::pair<int, int> Errnos(const std::string& options) {
    const RunResult r = RunBmil(Plugins() + options + " analyze " +
                                Quote((dir_.path() / "case.json").string()) + " --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    for (const auto& a : report.at("analyzers")) {
      if (a.at("plugin") != "hostile_network") continue;
      std::map<std::string, int> metrics;
      for (const auto& m : a.at("result").at("metrics")) metrics[m.at("id")] = m.at("value");
      EXPECT_EQ(metrics.count("socket_errno"), 1u) << a.dump();
      return {metrics["socket_errno"], metrics["connect_errno"]};
    }
    ADD_FAILURE() << "no result of hostile_network: " << r.out;
    return {-2, -2};
  }
  TempDir dir_;
  Listener listener_;
};

TEST_F(PluginNetwork, AChildCannotOpenANetworkSocket) {
  if (!kHaveSeccomp) GTEST_SKIP() << "bmil-plugin-runner was built without libseccomp";
  const auto [socket_errno, connect_errno] = Errnos("");  // a plugin-dir plugin: in a child
  EXPECT_EQ(socket_errno, EACCES);
  EXPECT_EQ(connect_errno, -1);  // never got that far
  EXPECT_EQ(listener_.Accepted(), 0);
}

TEST_F(PluginNetwork, AllowNetworkLetsAChildConnect) {
  const auto [socket_errno, connect_errno] = Errnos("--allow-network");
  EXPECT_EQ(socket_errno, 0);
  EXPECT_EQ(connect_errno, 0);
  EXPECT_EQ(listener_.Accepted(), 1);
}

TEST_F(PluginNetwork, APluginInBmilsProcessIsNotFiltered) {
  const auto [socket_errno, connect_errno] = Errnos("--isolation hostile_network=in-process");
  EXPECT_EQ(socket_errno, 0);
  EXPECT_EQ(connect_errno, 0);
  EXPECT_EQ(listener_.Accepted(), 1);
}

// The filter is in place before the plugin's file is loaded: a constructor that runs at load
// time, before any entry point, gets no socket either (and one in bmil's process does).
TEST_F(PluginNetwork, AConstructorAtLoadTimeCannotOpenANetworkSocketInAChild) {
  const fs::path plugins = dir_.path() / "on_load";
  fs::create_directories(plugins);
  fs::copy(
      fs::path(BMIL_FIXTURE_PLUGIN_DIR) / "hostile_network_on_load" / "hostile_network_on_load.so",
      plugins / "hostile_network_on_load.so");
  auto socket_errno = [&](const std::string& options) {
    const RunResult r =
        RunBmil("--plugin-dir " + Quote(plugins.string()) + " " + options + " analyze " +
                Quote((dir_.path() / "case.json").string()) + " --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    for (const auto& a : report.at("analyzers")) {
      if (a.at("plugin") != "hostile_network_on_load") continue;
      for (const auto& m : a.at("result").at("metrics"))
        if (m.at("id") == "socket_errno") return m.at("value").get<int>();
    }
    ADD_FAILURE() << "no socket_errno of hostile_network_on_load: " << r.out;
    return -2;
  };
  if (kHaveSeccomp) {
    EXPECT_EQ(socket_errno(""), EACCES);
  }
  EXPECT_EQ(socket_errno("--isolation hostile_network_on_load=in-process"), 0);
}

TEST_F(PluginNetwork, PluginsCheckReportsTheFilter) {
  const std::string so = Quote((dir_.path() / "plugins" / "hostile_network.so").string());
  const RunResult denied = RunBmil("plugins check " + so + " --format json");
  const RunResult allowed = RunBmil("--allow-network plugins check " + so + " --format json");
  ASSERT_EQ(denied.exit_code, 0) << denied.out << denied.err;
  ASSERT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  const std::string sandbox = nlohmann::json::parse(denied.out).at("sandbox");
  const std::string sandbox_allowed = nlohmann::json::parse(allowed.out).at("sandbox");
  if (!kHaveSeccomp) {
    EXPECT_THAT(sandbox, StartsWith("unavailable: bmil was built without libseccomp"));
    return;
  }
  EXPECT_THAT(sandbox, StartsWith("active: no network (sockets other than AF_UNIX denied)"));
  EXPECT_THAT(sandbox_allowed, StartsWith("active: network allowed (--allow-network)"));
  const RunResult text = RunBmil("plugins check " + so);
  EXPECT_THAT(text.out, HasSubstr("\n  sandbox: seccomp filter active: no network"));
}

}  // namespace
}  // namespace bmil::cli_test
