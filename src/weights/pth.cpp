#include "alloyml/weights/pth.h"

#include <sstream>

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/frontend/error_report.h>
#include <torch/script.h>

#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <unordered_map>

#include "alloyml/core/error.h"
#include "alloyml/core/fs.h"

namespace alloyml::weights {
namespace {

// ---- A minimal unpickler for the objects torch.save puts in data.pkl ----------------------

struct PyObj;
using Obj = std::shared_ptr<PyObj>;

struct PyObj {
  enum class Kind { None, Bool, Int, Float, Str, List, Tuple, Dict, Global, Tensor, Opaque };
  Kind kind = Kind::None;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;                            // Str, Bytes, Global ("module.name")
  std::vector<Obj> items;                   // List, Tuple
  std::vector<std::pair<Obj, Obj>> dict;    // Dict, in insertion order
  torch::Tensor tensor;                     // Tensor (also storages, as 1-D tensors)
  int height = 0;                           // containers nested below this one (as built)

  PyObj() = default;
  PyObj(const PyObj&) = delete;
  PyObj& operator=(const PyObj&) = delete;
  // Releases nested containers one at a time: a hostile pickle of 100k nested lists would
  // otherwise overflow the stack in a chain of recursive destructors.
  ~PyObj() {
    std::vector<Obj> pending;
    const auto adopt = [&pending](PyObj& o) {
      for (auto& x : o.items) pending.push_back(std::move(x));
      for (auto& [k, v] : o.dict) pending.push_back(std::move(k)), pending.push_back(std::move(v));
      o.items.clear();
      o.dict.clear();
    };
    adopt(*this);
    while (!pending.empty()) {
      Obj o = std::move(pending.back());
      pending.pop_back();
      if (o && o.use_count() == 1) adopt(*o);  // its last owner: empty it before it dies
    }
  }
};

/// Containers nested deeper than this in a pickle are refused (a state dict nests 2-5 deep).
constexpr int kMaxPickleDepth = 100;

// Zip entries compressed (torch.save stores them uncompressed) may unpack to at most this much:
// memory stays bounded before anything is decompressed.
constexpr uint64_t kMaxCompressedEntry = 64ull << 20;

Obj make(PyObj::Kind k) {
  auto o = std::make_shared<PyObj>();
  o->kind = k;
  return o;
}
Obj make_int(int64_t v) {
  auto o = make(PyObj::Kind::Int);
  o->i = v;
  return o;
}
Obj make_str(std::string v, PyObj::Kind k = PyObj::Kind::Str) {
  auto o = make(k);
  o->s = std::move(v);
  return o;
}

torch::ScalarType storage_dtype(const std::string& storage_type, const std::string& file) {
  static const std::map<std::string, torch::ScalarType> types{
      {"torch.FloatStorage", torch::kFloat32}, {"torch.DoubleStorage", torch::kFloat64},
      {"torch.HalfStorage", torch::kFloat16},  {"torch.BFloat16Storage", torch::kBFloat16},
      {"torch.LongStorage", torch::kInt64},    {"torch.IntStorage", torch::kInt32},
      {"torch.ShortStorage", torch::kInt16},   {"torch.CharStorage", torch::kInt8},
      {"torch.ByteStorage", torch::kUInt8},    {"torch.BoolStorage", torch::kBool}};
  const auto it = types.find(storage_type);
  if (it == types.end()) throw InputError(file + ": unsupported tensor storage type " + storage_type);
  return it->second;
}

class Unpickler {
 public:
  /// `records`: where the pickle's storages live ("data/" for data.pkl, "constants/" for a
  /// TorchScript archive's constants.pkl).
  Unpickler(const std::string& data, caffe2::serialize::PyTorchStreamReader& reader, std::string file,
            std::string records = "data/")
      : data_(data), reader_(reader), file_(std::move(file)), records_(std::move(records)),
        pickle_(records_.substr(0, records_.size() - 1) + ".pkl") {}  // data/ -> data.pkl
  /// The pickle's name in messages, where it is not RECORDS.pkl.
  Unpickler& named(std::string pickle) {
    pickle_ = std::move(pickle);
    return *this;
  }

  Obj load() {
    for (;;) {
      const uint8_t op = u8();
      switch (op) {
        case 0x80: u8(); break;                 // PROTO
        case 0x95: bytes(8); break;             // FRAME
        case '.': return pop();                 // STOP
        case '(': marks_.push_back(stack_.size()); break;
        case ')': push(make(PyObj::Kind::Tuple)); break;
        case ']': push(make(PyObj::Kind::List)); break;
        case '}': push(make(PyObj::Kind::Dict)); break;
        case 'N': push(make(PyObj::Kind::None)); break;
        case 0x88: case 0x89: {                 // NEWTRUE, NEWFALSE
          auto o = make(PyObj::Kind::Bool);
          o->b = op == 0x88;
          push(o);
          break;
        }
        case 'J': push(make_int(static_cast<int32_t>(le(4)))); break;
        case 'K': push(make_int(static_cast<int64_t>(le(1)))); break;
        case 'M': push(make_int(static_cast<int64_t>(le(2)))); break;
        case 0x8a: {                            // LONG1: little-endian two's complement
          const size_t n = u8();
          uint64_t v = le(n);
          if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);
          push(make_int(static_cast<int64_t>(v)));
          break;
        }
        case 'G': {                             // BINFLOAT, big-endian double
          uint64_t v = 0;
          for (int k = 0; k < 8; ++k) v = (v << 8) | u8();
          auto o = make(PyObj::Kind::Float);
          std::memcpy(&o->f, &v, 8);
          push(o);
          break;
        }
        case 'X': case 'T': case 'B': push(make_str(bytes(le(4)))); break;
        case 0x8c: case 'U': case 'C': push(make_str(bytes(u8()))); break;
        case 0x8d: case 0x8e: push(make_str(bytes(le(8)))); break;
        case 'c': {                             // GLOBAL module\nname\n
          std::string module = line(), name = line();
          push(make_str(module + "." + name, PyObj::Kind::Global));
          break;
        }
        case 0x93: {                            // STACK_GLOBAL
          auto name = pop(), module = pop();
          push(make_str(module->s + "." + name->s, PyObj::Kind::Global));
          break;
        }
        case 'q': put(u8()); break;
        case 'r': put(le(4)); break;
        case 0x94: put(memo_.size()); break;
        case 'h': push(memo(u8())); break;
        case 'j': push(memo(le(4))); break;
        case 't': push(tuple_from(pop_mark())); break;
        case 0x85: case 0x86: case 0x87: {      // TUPLE1..3
          const size_t n = static_cast<size_t>(op - 0x84);
          std::vector<Obj> v(n);
          for (size_t k = n; k-- > 0;) v[k] = pop();
          push(tuple_from(std::move(v)));
          break;
        }
        case 'a': {
          auto v = pop();
          auto l = list_target();
          holds(*l, *v);
          l->items.push_back(v);
          break;
        }
        case 'e': {
          auto v = pop_mark();
          auto l = list_target();
          for (const auto& x : v) holds(*l, *x);
          l->items.insert(l->items.end(), v.begin(), v.end());
          break;
        }
        case 's': {
          auto v = pop(), k = pop();
          auto d = dict_target();
          holds(*d, *k), holds(*d, *v);
          d->dict.emplace_back(k, v);
          break;
        }
        case 'u': {
          auto v = pop_mark();
          if (v.size() % 2) fail("SETITEMS with an odd number of values");
          auto d = dict_target();
          for (const auto& x : v) holds(*d, *x);
          for (size_t k = 0; k < v.size(); k += 2) d->dict.emplace_back(v[k], v[k + 1]);
          break;
        }
        case 'R': case 0x81: {                  // REDUCE, NEWOBJ
          auto args = pop(), callable = pop();
          push(call(callable, args));
          break;
        }
        case 'b': pop(); break;                 // BUILD: object state (OrderedDict _metadata) is not needed
        case 'Q': push(persistent_load(pop())); break;
        case '0': pop(); break;
        case '1': pop_mark(); break;
        case '2': push(top()); break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "0x%02x", op);
          fail(std::string("unsupported pickle opcode ") + buf);
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(file_ + ": cannot read " + pickle_ + " at byte " + std::to_string(pos_) + ": " + what);
  }
  uint8_t u8() {
    if (pos_ >= data_.size()) fail("unexpected end (truncated file?)");
    return static_cast<uint8_t>(data_[pos_++]);
  }
  uint64_t le(size_t n) {
    if (n > 8) fail("an integer of " + std::to_string(n) + " bytes (at most 8 are read)");
    uint64_t v = 0;
    for (size_t k = 0; k < n; ++k) v |= static_cast<uint64_t>(u8()) << (8 * k);
    return v;
  }
  std::string bytes(uint64_t n) {
    if (n > data_.size() - pos_) fail("unexpected end (truncated file?)");
    std::string s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string line() {
    const size_t nl = data_.find('\n', pos_);
    if (nl == std::string::npos) fail("unterminated GLOBAL");
    std::string s = data_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    return s;
  }
  void push(Obj o) { stack_.push_back(std::move(o)); }
  Obj pop() {
    if (stack_.empty()) fail("stack underflow");
    Obj o = stack_.back();
    stack_.pop_back();
    return o;
  }
  Obj top() {
    if (stack_.empty()) fail("stack underflow");
    return stack_.back();
  }
  // BINPUT and LONG_BINPUT: picklers number the memo 0, 1, 2, ...; a key far past that would make
  // LibTorch's own unpickler (which reads these archives after this check) size its memo table to
  // it, up to tens of GB.
  void put(uint64_t k) {
    if (k > memo_.size() + 1024) fail("memo key " + std::to_string(k) + " far past the " + std::to_string(memo_.size()) + " stored");
    memo_[static_cast<uint32_t>(k)] = top();
  }
  Obj memo(uint64_t k) {
    const auto it = memo_.find(static_cast<uint32_t>(k));
    if (it == memo_.end()) fail("memo key " + std::to_string(k) + " missing");
    return it->second;
  }
  std::vector<Obj> pop_mark() {
    if (marks_.empty()) fail("MARK missing");
    const size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Obj> v(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return v;
  }
  Obj tuple_from(std::vector<Obj> v) const {
    auto t = make(PyObj::Kind::Tuple);
    for (const auto& x : v) holds(*t, *x);
    t->items = std::move(v);
    return t;
  }
  // `parent` now holds `child`: its height, bounded by kMaxPickleDepth (and a container may not
  // hold itself).
  void holds(PyObj& parent, const PyObj& child) const {
    if (&parent == &child) fail("a container holds itself");
    parent.height = std::max(parent.height, child.height + 1);
    if (parent.height > kMaxPickleDepth)
      fail("containers nested deeper than " + std::to_string(kMaxPickleDepth) + " levels");
  }
  Obj list_target() {
    auto l = top();
    if (l->kind != PyObj::Kind::List) fail("APPEND to a non-list");
    return l;
  }
  Obj dict_target() {
    auto d = top();
    if (d->kind != PyObj::Kind::Dict) fail("SETITEM on a non-dict");
    return d;
  }
  static int64_t as_int(const Obj& o) { return o->kind == PyObj::Kind::Int ? o->i : 0; }
  std::vector<int64_t> int_list(const Obj& o) {
    if (o->kind != PyObj::Kind::Tuple && o->kind != PyObj::Kind::List) fail("expected a tuple of sizes");
    std::vector<int64_t> v;
    for (const auto& x : o->items) v.push_back(as_int(x));
    return v;
  }

  Obj call(const Obj& callable, const Obj& args) {
    const std::string name = callable->kind == PyObj::Kind::Global ? callable->s : "";
    const auto& a = args->items;
    if (name == "collections.OrderedDict" || name == "builtins.dict") return make(PyObj::Kind::Dict);
    if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      if (a.size() < 4 || a[0]->kind != PyObj::Kind::Tensor) fail(name + " with unexpected arguments");
      const auto size = int_list(a[2]), stride = int_list(a[3]);
      const int64_t offset = as_int(a[1]);
      if (size.size() != stride.size() || size.size() > 64) fail("a tensor's sizes and strides do not match");
      // The last element's index, overflow-checked: it must lie inside the storage.
      int64_t extent = offset;
      bool bad = offset < 0, empty = false;
      for (size_t d = 0; d < size.size() && !bad; ++d) {
        bad = size[d] < 0 || stride[d] < 0;
        empty |= size[d] == 0;
        int64_t step = 0;
        if (!bad && size[d] > 0)
          bad = __builtin_mul_overflow(size[d] - 1, stride[d], &step) || __builtin_add_overflow(extent, step, &extent);
      }
      if (bad) fail("a tensor with a negative or overflowing size, stride or offset");
      if (!empty && extent >= a[0]->tensor.numel()) fail("a tensor reaches past the end of its storage");
      auto t = make(PyObj::Kind::Tensor);
      t->tensor = a[0]->tensor.as_strided(size, stride, offset);
      return t;
    }
    if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
      if (a.empty()) fail(name + " without arguments");
      return a[0];
    }
    auto o = make(PyObj::Kind::Opaque);  // anything else (optimizer state, argparse.Namespace...)
    o->s = name;
    return o;
  }

  Obj persistent_load(const Obj& pid) {
    // ('storage', storage_type, key, location, numel)
    if (pid->kind != PyObj::Kind::Tuple || pid->items.size() < 5 || pid->items[0]->s != "storage")
      fail("unexpected persistent id");
    const std::string key = pid->items[2]->s;
    const auto cached = storages_.find(key);
    if (cached != storages_.end()) return cached->second;
    const auto dtype = storage_dtype(pid->items[1]->s, file_);
    const int64_t numel = as_int(pid->items[4]);
    if (key.empty() || key.find('/') != std::string::npos || key.find("..") != std::string::npos)
      fail("storage key '" + key.substr(0, 40) + "' is not a record name");
    const std::string record = records_ + key;
    if (!reader_.hasRecord(record)) fail("storage record " + record + " is missing (truncated archive?)");
    auto [ptr, size] = reader_.getRecord(record);
    const size_t element = c10::elementSize(dtype);
    if (numel < 0 || static_cast<uint64_t>(numel) > size / element)
      fail("storage " + key + " holds " + std::to_string(size) + " bytes, too few for its " + std::to_string(numel) +
           " elements of " + std::to_string(element) + " bytes");
    auto holder = std::make_shared<at::DataPtr>(std::move(ptr));
    auto t = make(PyObj::Kind::Tensor);
    t->tensor = torch::from_blob(holder->get(), {numel}, [holder](void*) {}, torch::TensorOptions().dtype(dtype));
    storages_[key] = t;
    return t;
  }

  const std::string& data_;
  caffe2::serialize::PyTorchStreamReader& reader_;
  std::string file_;
  std::string records_;
  std::string pickle_;
  size_t pos_ = 0;
  std::vector<Obj> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint32_t, Obj> memo_;
  std::map<std::string, Obj> storages_;
};

bool is_tensor_dict(const Obj& o) {
  if (!o || o->kind != PyObj::Kind::Dict) return false;
  for (const auto& [k, v] : o->dict)
    if (k->kind == PyObj::Kind::Str && v->kind == PyObj::Kind::Tensor) return true;
  return false;
}

StateDict from_dict(const Obj& root, const std::string& path) {
  Obj dict = root;
  if (!is_tensor_dict(dict) && dict->kind == PyObj::Kind::Dict) {
    for (const char* wrapper : {"state_dict", "model", "model_state_dict", "net", "module", "ema"}) {
      for (const auto& [k, v] : root->dict)
        if (k->kind == PyObj::Kind::Str && k->s == wrapper && is_tensor_dict(v)) dict = v;
      if (dict != root) break;
    }
  }
  if (!is_tensor_dict(dict)) throw InputError(path + ": holds no state dict (no name -> tensor mapping found)");
  StateDict out;
  for (const auto& [k, v] : dict->dict)
    if (k->kind == PyObj::Kind::Str && v->kind == PyObj::Kind::Tensor) out.emplace_back(k->s, v->tensor);
  return out;
}

void strip_module_prefix(StateDict& state) {
  for (const auto& [k, v] : state)
    if (k.rfind("module.", 0) != 0) return;
  for (auto& [k, v] : state) k = k.substr(7);
}

void check_magic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  char magic[4] = {0, 0, 0, 0};
  in.read(magic, 4);
  if (in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0) return;
  if (in.gcount() >= 2 && static_cast<uint8_t>(magic[0]) == 0x80 && magic[1] >= 2 && magic[1] <= 5)
    throw InputError(path + ": a legacy (pre-1.6, non-zip) torch.save file; load it in Python and save it again "
                            "with a current torch.save to convert it");
  throw InputError(path + ": not a PyTorch weight file (no zip archive signature)");
}

uint64_t read_le(const std::string& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t k = 0; k < n; ++k) v |= static_cast<uint64_t>(static_cast<uint8_t>(b[at + k])) << (8 * k);
  return v;
}

// Reads the zip's central directory (not its entries) and refuses, before anything is unpacked,
// an entry that could make the reader allocate more than the file justifies: a stored entry
// whose sizes disagree or pass the end of the file, a compressed one that unpacks to more than
// kMaxCompressedEntry (torch.save writes none), an encrypted one.
void check_zip_directory(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<uint64_t>(in.tellg());
  const auto fail = [&](const std::string& what) { throw InputError(path + ": damaged zip archive (" + what + ")"); };
  // The end-of-central-directory record lies in the last 22 + 65535 bytes.
  const uint64_t tail_size = std::min<uint64_t>(file_size, 22 + 65535);
  std::string tail(tail_size, '\0');
  in.seekg(static_cast<std::streamoff>(file_size - tail_size));
  in.read(tail.data(), static_cast<std::streamsize>(tail_size));
  size_t eocd = std::string::npos;
  for (size_t i = tail_size >= 22 ? tail_size - 22 + 1 : 0; i-- > 0;)
    if (read_le(tail, i, 4) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == std::string::npos) fail("no end of central directory");
  uint64_t entries = read_le(tail, eocd + 10, 2), dir_size = read_le(tail, eocd + 12, 4), dir_at = read_le(tail, eocd + 16, 4);
  if (entries == 0xFFFF || dir_size == 0xFFFFFFFF || dir_at == 0xFFFFFFFF) {  // zip64
    if (eocd < 20 || read_le(tail, eocd - 20, 4) != 0x07064b50) fail("zip64 locator missing");
    const uint64_t at = read_le(tail, eocd - 20 + 8, 8);
    if (at > file_size - 56) fail("zip64 directory record out of the file");
    std::string rec(56, '\0');
    in.seekg(static_cast<std::streamoff>(at));
    in.read(rec.data(), 56);
    if (read_le(rec, 0, 4) != 0x06064b50) fail("zip64 directory record damaged");
    entries = read_le(rec, 32, 8), dir_size = read_le(rec, 40, 8), dir_at = read_le(rec, 48, 8);
  }
  if (dir_at > file_size || dir_size > file_size - dir_at) fail("central directory out of the file");
  std::string dir(dir_size, '\0');
  in.seekg(static_cast<std::streamoff>(dir_at));
  in.read(dir.data(), static_cast<std::streamsize>(dir_size));
  size_t pos = 0;
  for (uint64_t e = 0; e < entries; ++e) {
    if (pos + 46 > dir.size() || read_le(dir, pos, 4) != 0x02014b50) fail("central directory entry " + std::to_string(e) + " damaged");
    const uint64_t flags = read_le(dir, pos + 8, 2), method = read_le(dir, pos + 10, 2);
    uint64_t packed = read_le(dir, pos + 20, 4), unpacked = read_le(dir, pos + 24, 4);
    const size_t name_len = read_le(dir, pos + 28, 2), extra_len = read_le(dir, pos + 30, 2), comment_len = read_le(dir, pos + 32, 2);
    if (pos + 46 + name_len + extra_len + comment_len > dir.size()) fail("central directory entry " + std::to_string(e) + " damaged");
    const std::string name = dir.substr(pos + 46, std::min<size_t>(name_len, 200));
    // zip64 sizes: in the extra field 0x0001, uncompressed first, each only where the header has 0xFFFFFFFF.
    for (size_t x = pos + 46 + name_len, end = x + extra_len; x + 4 <= end;) {
      const uint64_t id = read_le(dir, x, 2), len = read_le(dir, x + 2, 2);
      if (x + 4 + len > end) break;
      if (id == 0x0001) {
        size_t f = x + 4;
        if (unpacked == 0xFFFFFFFF && f + 8 <= x + 4 + len) unpacked = read_le(dir, f, 8), f += 8;
        if (packed == 0xFFFFFFFF && f + 8 <= x + 4 + len) packed = read_le(dir, f, 8);
      }
      x += 4 + len;
    }
    if (flags & 1) fail("entry " + name + " is encrypted");
    if (method == 0 ? packed != unpacked || packed > file_size : packed > file_size || unpacked > kMaxCompressedEntry)
      fail("entry " + name + " claims " + std::to_string(unpacked) + " bytes from " + std::to_string(packed) + " in a " +
           std::to_string(file_size) + "-byte file");
    pos += 46 + name_len + extra_len + comment_len;
  }
}

// Opens a torch zip archive after its directory was checked.
std::unique_ptr<caffe2::serialize::PyTorchStreamReader> open_archive(const std::string& path) {
  check_magic(path);
  check_zip_directory(path);
  try {
    return std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
  } catch (...) {
    rethrow_as_input_error(path + ": damaged or truncated zip archive");
  }
}

// LibTorch's own readers (torch::jit::load, InputArchive) trust a storage record's size: one
// shorter than its tensors is read out of bounds. Every pickle of the archive goes through the
// checking unpickler first, which compares each storage with the tensors built on it.
void check_pickled_storages(caffe2::serialize::PyTorchStreamReader& reader, const std::string& path) {
  for (const auto& [pkl, records] : {std::pair<std::string, std::string>{"data.pkl", "data/"}, {"constants.pkl", "constants/"}}) {
    if (!reader.hasRecord(pkl)) continue;
    auto [ptr, size] = reader.getRecord(pkl);
    const std::string pickle(static_cast<const char*>(ptr.get()), size);
    Unpickler(pickle, reader, path, records).load();
  }
  // The debug pickles (source ranges) that TorchScript's importer unpickles too: the same checks
  // of lengths, nesting and memo keys (they hold no storages).
  for (const auto& name : reader.getAllRecords()) {
    const std::string suffix = ".debug_pkl";
    if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    auto [ptr, size] = reader.getRecord(name);
    const std::string pickle(static_cast<const char*>(ptr.get()), size);
    Unpickler(pickle, reader, path, "debug/").named(name).load();
  }
}

}  // namespace

void rethrow_as_input_error(const std::string& context) {
  const auto first_line = [](const std::string& what, size_t most) { return what.substr(0, std::min(most, what.find('\n'))); };
  try {
    throw;
  } catch (const InputError&) {
    throw;
  } catch (const torch::jit::ErrorReport&) {
    // TorchScript's importer rejects damaged code with an ErrorReport, whose what() can itself
    // fail on damaged debug information (and, being noexcept, end the process): not called.
    throw InputError(context + " (its TorchScript code does not load)");
  } catch (const c10::Error& e) {
    throw InputError(context + " (" + first_line(e.msg(), 200) + ")");
  } catch (const std::exception& e) {
    throw InputError(context + " (" + first_line(e.what(), 200) + ")");
  }
}

void check_archive(const std::string& path) {
  auto reader = open_archive(path);
  try {
    check_pickled_storages(*reader, path);
  } catch (...) {
    rethrow_as_input_error(path + ": cannot read the archive");
  }
}

// LibTorch 1.13 reads a TorchScript archive's debug records (code/*.debug_pkl: where each piece of
// generated source came from) to decorate its parse errors, and a damaged one sends that
// decoration out of bounds: a segmentation fault, found by fuzzing. Weights never need them, so
// the archive is loaded from a copy in memory without them.
torch::jit::Module load_torchscript_without_debug_info(caffe2::serialize::PyTorchStreamReader& reader) {
  std::string bytes;
  {
    caffe2::serialize::PyTorchStreamWriter writer([&bytes](const void* data, size_t size) {
      bytes.append(static_cast<const char*>(data), size);
      return size;
    });
    const std::string suffix = ".debug_pkl";
    for (const auto& name : reader.getAllRecords()) {
      if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) continue;
      auto [ptr, size] = reader.getRecord(name);
      writer.writeRecord(name, ptr.get(), size);
    }
    writer.writeEndOfFile();
  }
  std::istringstream in(bytes);
  return torch::jit::load(in, torch::kCPU);
}

StateDict read_state_dict(const std::string& path) {
  auto reader = open_archive(path);
  StateDict state;
  try {
    if (reader->hasRecord("constants.pkl") || reader->hasRecord("code/__torch__.py")) {
      // TorchScript: its parameters and buffers, already named as the module's state dict.
      check_pickled_storages(*reader, path);
      auto module = load_torchscript_without_debug_info(*reader);
      for (const auto& p : module.named_parameters()) state.emplace_back(p.name, p.value);
      for (const auto& b : module.named_buffers()) state.emplace_back(b.name, b.value);
    } else {
      if (!reader->hasRecord("data.pkl")) throw InputError(path + ": archive has no data.pkl");
      auto [ptr, size] = reader->getRecord("data.pkl");
      const std::string pickle(static_cast<const char*>(ptr.get()), size);
      Unpickler unpickler(pickle, *reader, path);
      state = from_dict(unpickler.load(), path);
    }
  } catch (...) {
    rethrow_as_input_error(path + ": cannot read the archive");
  }
  strip_module_prefix(state);
  return state;
}

namespace {

// ---- Writing: the pickle Python's torch.load expects ---------------------------------------

class PickleWriter {
 public:
  void op(uint8_t c) { out_ += static_cast<char>(c); }
  void str(const std::string& s) {
    op('X');
    le(s.size(), 4);
    out_ += s;
  }
  void global(const std::string& module, const std::string& name) { out_ += "c" + module + "\n" + name + "\n"; }
  void integer(int64_t v) {
    if (v >= 0 && v < 256) {
      op('K');
      le(static_cast<uint64_t>(v), 1);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      op('J');
      le(static_cast<uint64_t>(static_cast<uint32_t>(static_cast<int32_t>(v))), 4);
    } else {
      op(0x8a);
      op(8);
      le(static_cast<uint64_t>(v), 8);
    }
  }
  void int_tuple(const std::vector<int64_t>& v) {
    op('(');
    for (int64_t x : v) integer(x);
    op('t');
  }
  const std::string& bytes() const { return out_; }

 private:
  void le(uint64_t v, int n) {
    for (int k = 0; k < n; ++k) out_ += static_cast<char>((v >> (8 * k)) & 0xFF);
  }
  std::string out_;
};

std::string storage_name(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32: return "FloatStorage";
    case torch::kFloat64: return "DoubleStorage";
    case torch::kFloat16: return "HalfStorage";
    case torch::kBFloat16: return "BFloat16Storage";
    case torch::kInt64: return "LongStorage";
    case torch::kInt32: return "IntStorage";
    case torch::kInt16: return "ShortStorage";
    case torch::kInt8: return "CharStorage";
    case torch::kUInt8: return "ByteStorage";
    case torch::kBool: return "BoolStorage";
    default: throw Error(std::string("cannot export tensors of type ") + c10::toString(t));
  }
}

}  // namespace

void write_state_dict(const std::string& path, const StateDict& state) {
  std::vector<torch::Tensor> storages;
  PickleWriter p;
  p.op(0x80);
  p.op(2);
  p.global("collections", "OrderedDict");
  p.op(')');
  p.op('R');
  p.op('(');
  for (const auto& [name, tensor] : state) {
    const auto t = tensor.detach().to(torch::kCPU).contiguous();
    const std::string key = std::to_string(storages.size());
    storages.push_back(t);
    p.str(name);
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.op('(');
    p.op('(');  // persistent id
    p.str("storage");
    p.global("torch", storage_name(t.scalar_type()));
    p.str(key);
    p.str("cpu");
    p.integer(t.numel());
    p.op('t');
    p.op('Q');
    p.integer(0);
    p.int_tuple(t.sizes().vec());
    p.int_tuple(t.strides().vec());
    p.op(0x89);  // requires_grad False
    p.global("collections", "OrderedDict");
    p.op(')');
    p.op('R');
    p.op('t');
    p.op('R');
  }
  p.op('u');
  p.op('.');
  // The archive is built in memory and written with checked writes (LibTorch's file writer
  // throws from its destructor on a full disk, ending the process).
  std::string bytes;
  {
    caffe2::serialize::PyTorchStreamWriter writer([&bytes](const void* data, size_t size) {
      bytes.append(static_cast<const char*>(data), size);
      return size;
    });
    writer.writeRecord("data.pkl", p.bytes().data(), p.bytes().size());
    writer.writeRecord("byteorder", "little", 6);
    for (size_t i = 0; i < storages.size(); ++i)
      writer.writeRecord("data/" + std::to_string(i), storages[i].data_ptr(),
                         static_cast<size_t>(storages[i].numel()) * storages[i].element_size());
    writer.writeEndOfFile();
  }
  write_atomically(path, [&](const std::string& tmp) { write_file_checked(tmp, bytes.data(), bytes.size()); });
}

}  // namespace alloyml::weights
