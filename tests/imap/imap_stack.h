// Test support for the IMAP integration tests: the private Postfix + Dovecot
// started by scripts/mailstack/start.sh, found through $TICKETD_MAILSTACK_ENV
// (its DIR/env file). Without it the tests fail, unless
// TICKETD_MAILSTACK_OPTIONAL=1 says skipping is fine.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "transport/imap.h"

namespace ticketd::transport::test {

using std::chrono::milliseconds;

struct MailStack {
  std::string dir;  // the DIR given to start.sh
  std::map<std::string, std::string> env;
  std::string get(const std::string& key) const {
    auto it = env.find(key);
    return it == env.end() ? std::string() : it->second;
  }
};

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; its stdout, or nullopt when it exits non-zero.
inline std::optional<std::string> run_command(const std::string& command) {
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = ::pclose(p);
  if (status != 0) return std::nullopt;
  return out;
}

inline std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// Polls `probe` until it returns true or `limit` passes.
template <typename Probe>
bool eventually(Probe probe, std::chrono::milliseconds limit = std::chrono::milliseconds(10'000)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return probe();
}

class ImapStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* env_file = std::getenv("TICKETD_MAILSTACK_ENV");
    if (env_file == nullptr || *env_file == '\0') {
      const char* optional = std::getenv("TICKETD_MAILSTACK_OPTIONAL");
      if (optional != nullptr && std::string(optional) == "1") {
        GTEST_SKIP()
            << "TICKETD_MAILSTACK_ENV unset and TICKETD_MAILSTACK_OPTIONAL=1: no mail stack";
      }
      FAIL()
          << "TICKETD_MAILSTACK_ENV is not set. Start a stack with scripts/mailstack/start.sh DIR "
             "and set TICKETD_MAILSTACK_ENV=DIR/env (or TICKETD_MAILSTACK_OPTIONAL=1 to skip)";
    }
    load_env(env_file);
  }

  void load_env(const std::string& env_file) {
    std::ifstream in(env_file);
    ASSERT_TRUE(in) << "cannot read " << env_file;
    stack_ = MailStack{std::filesystem::path(env_file).parent_path().string(), {}};
    for (std::string line; std::getline(in, line);) {
      const auto eq = line.find('=');
      if (eq != std::string::npos && !line.starts_with('#'))
        stack_.env[line.substr(0, eq)] = trim(line.substr(eq + 1));
    }
    for (const char* key : {"MAILSTACK_IMAP_PORT", "MAILSTACK_IMAPS_PORT", "MAILSTACK_SMTP_PORT",
                            "MAILSTACK_CA_FILE", "MAILSTACK_PASSWORD"}) {
      ASSERT_FALSE(stack_.get(key).empty()) << key << " missing in " << env_file;
    }
  }

  // scripts/mailstack/NAME (start.sh, stop.sh, ctl.sh)
  std::string script(const std::string& name) const {
    const std::string ctl = stack_.get("MAILSTACK_CTL");
    if (!ctl.empty()) return (std::filesystem::path(ctl).parent_path() / name).string();
    return std::string(TICKETD_SOURCE_DIR) + "/scripts/mailstack/" + name;
  }

  std::optional<std::string> ctl(const std::string& args) const {
    return run_command(shell_quote(script("ctl.sh")) + " " + shell_quote(stack_.dir) + " " + args);
  }

  // A new mailbox user of its own, so tests may run in parallel.
  std::string new_user(const std::string& hint) {
    static std::atomic<int> counter{0};
    const std::string address = "imap-" + hint + "-" + std::to_string(::getpid()) + "-" +
                                std::to_string(counter++) + "@example.test";
    // ctl.sh adduser rewrites the passwd file via passwd.new: two at once
    // lose a user, so parallel tests take turns.
    auto r = run_command("flock " + shell_quote(stack_.dir + "/adduser.lock") + " " +
                         shell_quote(script("ctl.sh")) + " " + shell_quote(stack_.dir) +
                         " adduser " + shell_quote(address) + " " + shell_quote(password()));
    // ctl.sh returns once Dovecot knows the user (it re-reads its passwd
    // file at most once a second) and Postfix accepts mail for it.
    EXPECT_TRUE(r.has_value()) << "ctl.sh adduser " << address << " failed";
    return address;
  }

  std::string password() const { return stack_.get("MAILSTACK_PASSWORD"); }

  ImapConfig config(const std::string& user, bool imaps = false) const {
    ImapConfig c;
    c.url = imaps ? "imaps://127.0.0.1:" + stack_.get("MAILSTACK_IMAPS_PORT")
                  : "imap://127.0.0.1:" + stack_.get("MAILSTACK_IMAP_PORT");
    c.username = user;
    c.password = password();
    c.ca_file = stack_.get("MAILSTACK_CA_FILE");
    c.timeouts.connect = std::chrono::milliseconds(10'000);
    c.timeouts.command = std::chrono::milliseconds(20'000);
    return c;
  }

  // Connected and INBOX selected (which also makes Dovecot create the maildir).
  std::unique_ptr<ImapClient> open_inbox(const std::string& user, ImapConfig c = {}) {
    if (c.url.empty()) c = config(user);
    auto client = std::make_unique<ImapClient>(c);
    auto r = client->connect();
    EXPECT_TRUE(r.has_value()) << r.error().detail;
    auto s = client->select("INBOX");
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().detail);
    return client;
  }

  std::string maildir(const std::string& user) const {
    auto out = ctl("mailbox " + shell_quote(user));
    EXPECT_TRUE(out.has_value()) << "ctl.sh mailbox " << user;
    return trim(out.value_or(""));
  }

  // Drops a mail into the maildir's new/ the way an MDA does (tmp/, then
  // rename), owned like the maildir. The bytes reach IMAP unchanged.
  void drop_mail(const std::string& dir, const std::string& bytes) {
    static std::atomic<int> counter{0};
    namespace fs = std::filesystem;
    struct stat root {};
    ASSERT_EQ(::stat(dir.c_str(), &root), 0) << dir;
    for (const char* sub : {"tmp", "new", "cur"}) fs::create_directories(fs::path(dir) / sub);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const std::string name =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) + ".P" +
        std::to_string(::getpid()) + "Q" + std::to_string(counter++) + ".test";
    const fs::path tmp = fs::path(dir) / "tmp" / name;
    {
      std::ofstream out(tmp, std::ios::binary);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      ASSERT_TRUE(out.good());
    }
    ASSERT_EQ(::chown(tmp.c_str(), root.st_uid, root.st_gid), 0);
    fs::rename(tmp, fs::path(dir) / "new" / name);
  }

  // Delivers through Postfix's SMTP port (the real path: Postfix → Dovecot).
  bool send_smtp(const std::string& from, const std::string& to, const std::string& bytes) const {
    const std::string file =
        std::filesystem::temp_directory_path() /
        ("imap-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    std::ofstream(file, std::ios::binary) << bytes;
    const std::string script =
        "import smtplib,sys\n"
        "s=smtplib.SMTP('127.0.0.1'," +
        stack_.get("MAILSTACK_SMTP_PORT") +
        ",timeout=20)\n"
        "s.sendmail(sys.argv[1],[sys.argv[2]],open(sys.argv[3],'rb').read())\n"
        "s.quit()\n";
    auto r = run_command("/usr/bin/python3 -c " + shell_quote(script) + " " + shell_quote(from) +
                         " " + shell_quote(to) + " " + shell_quote(file));
    std::filesystem::remove(file);
    return r.has_value();
  }

  MailStack stack_;
};

// A small test mail with CRLF line ends; `body` is used as given.
inline std::string make_mail(const std::string& to, int n, const std::string& body) {
  std::ostringstream m;
  m << "From: Customer <customer@example.test>\r\nTo: " << to << "\r\nSubject: test mail " << n
    << "\r\nMessage-ID: <imap-test-" << n << "-" << ::getpid() << "@example.test>\r\n"
    << "Date: Wed, 27 Nov 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    << "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    << body;
  return m.str();
}

}  // namespace ticketd::transport::test
