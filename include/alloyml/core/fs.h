#pragma once
// File helpers shared by every layer: atomic writes, whole-file reads, content hashes.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace alloyml {

/// Writes through `write_to(tmp_path)` and renames the result onto `path`, so a reader
/// (or a run killed mid-write) sees either the old file or the new one, never half of one.
void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write_to);

/// Writes `text` to `path` atomically. Every write is checked: a full disk is an Error "no space
/// left on MOUNT (DEVICE) writing FILE", the temporary file is removed and `path` keeps its
/// previous content.
void write_text_atomically(const std::string& path, const std::string& text);

/// Writes `size` bytes to `path` (created or truncated), checking every write and the close.
void write_file_checked(const std::string& path, const void* data, size_t size);

/// Throws the Error for a failed write of `path` with errno `err`: for a full disk or quota,
/// "no space left on MOUNT (DEVICE) writing FILE"; otherwise "cannot write FILE: REASON".
[[noreturn]] void throw_write_error(const std::string& path, int err);

/// Reads a whole file; throws InputError naming the file when it cannot be read.
std::string read_text_file(const std::string& path);

/// 64-bit FNV-1a hash of a file's bytes (used to keep identical images in one split).
std::uint64_t hash_file(const std::string& path);

/// Lower-cased file extension with the dot (".jpg"), or "".
std::string lower_extension(const std::string& path);

/// `name` usable as a file name: characters other than letters, digits, '-', '_' and '.' become '_'.
std::string safe_file_name(const std::string& name);

/// True for the image formats the loaders read.
bool is_image_file(const std::string& path);

/// An advisory lock (flock) on a directory, held while the object lives; the kernel drops it when
/// the process ends, however it ends, so a killed run can be resumed at once. The lock file
/// (DIR/.lock) holds the holder's PID for the message another process gets.
class DirectoryLock {
 public:
  /// Takes the lock on `dir` (which must exist) or throws InputError naming the directory, the
  /// holder's PID and `what` it is doing ("a training run").
  DirectoryLock(const std::string& dir, const std::string& what);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace alloyml
