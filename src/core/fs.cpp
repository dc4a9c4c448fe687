#include "alloyml/core/fs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "alloyml/core/error.h"

namespace fs = std::filesystem;

namespace alloyml {

void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write_to) {
  const fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) throw_write_error(path, ec.value());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  try {
    write_to(tmp);
    fs::rename(tmp, target, ec);
    if (ec) throw_write_error(path, ec.value());
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

namespace {
// "MOUNT (SOURCE)" of the file system holding `path` (its closest existing ancestor), from
// /proc/self/mountinfo; "its file system" when that cannot be told.
std::string file_system_of(const std::string& path) {
  fs::path p = fs::absolute(path);
  std::error_code ec;
  while (!p.empty() && !fs::exists(p, ec) && p != p.parent_path()) p = p.parent_path();
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return "its file system";
  const std::string dev = std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
  std::ifstream in("/proc/self/mountinfo");
  std::string found;
  // Fields: id parent major:minor root mount-point options ... - fstype source options
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string id, parent, devno, root, mount;
    f >> id >> parent >> devno >> root >> mount;
    if (devno != dev) continue;
    const auto dash = line.find(" - ");
    std::istringstream rest(dash == std::string::npos ? "" : line.substr(dash + 3));
    std::string type, source;
    rest >> type >> source;
    found = mount + " (" + source + ")";  // the last mount of the device wins, as the kernel's view
  }
  return found.empty() ? "its file system" : found;
}
}  // namespace

void throw_write_error(const std::string& path, int err) {
  // Name the file the user knows, not write_atomically's temporary "FILE.tmp.PID" (removed).
  std::string shown = path;
  const size_t tmp = shown.rfind(".tmp.");
  if (tmp != std::string::npos && tmp + 5 < shown.size() &&
      shown.find_first_not_of("0123456789", tmp + 5) == std::string::npos)
    shown.erase(tmp);
  if (err == ENOSPC || err == EDQUOT) throw Error("no space left on " + file_system_of(path) + " writing " + shown);
  throw Error("cannot write " + shown + ": " + std::strerror(err));
}

void write_file_checked(const std::string& path, const void* data, size_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_write_error(path, errno);
  const char* p = static_cast<const char*>(data);
  for (size_t left = size; left > 0;) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      ::close(fd);
      throw_write_error(path, err);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw_write_error(path, errno);
}

void write_text_atomically(const std::string& path, const std::string& text) {
  write_atomically(path, [&](const std::string& tmp) { write_file_checked(tmp, text.data(), text.size()); });
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::uint64_t hash_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::uint64_t h = 1469598103934665603ULL;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof(buf));
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ULL;
    }
  }
  return h;
}

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::string safe_file_name(const std::string& name) {
  std::string out = name.empty() ? "_" : name;
  for (char& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  if (out == "." || out == "..") out = "_";
  return out;
}

bool is_image_file(const std::string& path) {
  static const char* kExts[] = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".pgm", ".ppm", ".webp"};
  const std::string ext = lower_extension(path);
  return std::any_of(std::begin(kExts), std::end(kExts), [&](const char* e) { return ext == e; });
}

DirectoryLock::DirectoryLock(const std::string& dir, const std::string& what) {
  const std::string path = (fs::path(dir) / ".lock").string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(dir + ": cannot create the lock file .lock (" + std::strerror(errno) + ")");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {0};
    const ssize_t n = ::pread(fd_, buf, sizeof(buf) - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    pid.erase(std::remove_if(pid.begin(), pid.end(), [](unsigned char c) { return !std::isdigit(c); }), pid.end());
    ::close(fd_);
    fd_ = -1;
    throw InputError(dir + " is in use by another process" + (pid.empty() ? "" : " (PID " + pid + ")") +
                     "; wait for it to finish, or give " + what + " another directory");
  }
  const std::string me = std::to_string(::getpid()) + "\n";
  const bool noted = ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, me.data(), me.size(), 0) == static_cast<ssize_t>(me.size());
  (void)noted;  // without the PID the lock still holds; only another process's message lacks it
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock
}

}  // namespace alloyml
