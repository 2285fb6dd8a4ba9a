#include "migrate/edits.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include "clang/Format/Format.h"
#include "clang/Tooling/Inclusions/HeaderIncludes.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace migrate {
namespace {

using clang::tooling::Replacement;
using clang::tooling::Replacements;

bool IsCrlf(const std::string& text) {
  const size_t newline = text.find('\n');
  return newline != std::string::npos && newline > 0 && text[newline - 1] == '\r';
}

std::string WithLineEndings(std::string text, bool crlf) {
  if (!crlf) return text;
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

struct Pending {
  std::set<std::pair<unsigned, unsigned>> removed;  // (offset, length) to delete
  std::vector<std::pair<Span, std::string>> edits;
  std::map<std::string, bool> headers;  // header -> angled
};

// HeaderIncludes lexes the file, and again from the first token after its
// leading comments, each time as a buffer of its own whose diagnostics go
// to an engine with no client. A buffer that starts with one of the
// byte-order marks Clang refuses (ContentCache::getBufferOrNone's list)
// makes Clang report one there, which crashes. Such a token can only follow
// whitespace or a comment, so those starts are checked (a false alarm costs
// a file its include, never its content).
bool HidesAnUnreadableBuffer(std::string_view text) {
  static constexpr std::string_view kRefused[] = {
      {"\xFE\xFF", 2},         {"\xFF\xFE", 2}, {"\x00\x00\xFE\xFF", 4}, {"\xFF\xFE\x00\x00", 4},
      {"\x2B\x2F\x76", 3},    {"\xF7\x64\x4C", 3}, {"\xDD\x73\x66\x73", 4}, {"\x0E\xFE\xFF", 3},
      {"\xFB\xEE\x28", 3},    {"\x84\x31\x95\x33", 4},
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const bool token_start = i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])) ||
                             (i >= 2 && text.substr(i - 2, 2) == "*/");
    if (!token_start) continue;
    for (std::string_view bom : kRefused) {
      if (text.substr(i, bom.size()) == bom) return true;
    }
  }
  return false;
}

}  // namespace

EditPlan PlanEdits(std::vector<Site>& sites, const std::map<std::string, std::string>& contents) {
  std::map<std::string, Pending> pending;
  for (const Site& site : sites) {
    if (site.decision != Decision::kKernel && site.decision != Decision::kInference &&
        site.decision != Decision::kRemove)
      continue;
    const ProfileNames& names = NamesFor(site.profile);
    if (site.decision == Decision::kRemove) {
      for (const Use& use : site.uses)
        pending[use.stmt_span->file].edits.push_back({*use.stmt_span, ""});
      continue;
    }
    Pending& file = pending[site.span.file];
    file.edits.push_back({site.span, site.replacement});
    if (site.decision == Decision::kKernel) {
      for (const Use& use : site.uses)
        if (use.arg_span) pending[use.arg_span->file].edits.push_back({*use.arg_span, ""});
      if (site.missing_kernel_decl) file.headers.emplace(names.kernel_header, names.angled);
    } else if (site.missing_inference_decl) {
      file.headers.emplace(names.inference_header, names.angled);
    }
  }

  EditPlan plan;
  std::map<std::string, std::string> conflicts;
  for (auto& [path, file] : pending) {
    auto content = contents.find(path);
    if (content == contents.end()) {
      conflicts[path] = "the tool did not read this file";
      continue;
    }
    const std::string& original = content->second;
    const bool crlf = IsCrlf(original);
    // Identical edits from several uses or translation units are one edit.
    std::sort(file.edits.begin(), file.edits.end());
    file.edits.erase(std::unique(file.edits.begin(), file.edits.end()), file.edits.end());
    Replacements replacements;
    std::string error;
    for (const auto& [span, text] : file.edits) {
      if (llvm::Error err = replacements.add(Replacement(path, span.offset, span.length, text))) {
        error = "overlapping edits at offset " + std::to_string(span.offset) + ": " +
                llvm::toString(std::move(err));
        break;
      }
    }
    if (error.empty() && !file.headers.empty() && HidesAnUnreadableBuffer(original)) {
      error = "cannot insert #include of " + file.headers.begin()->first +
              ": a token of the file starts with bytes Clang reads as the byte-order mark of an encoding it cannot "
              "read; add the include by hand";
    }
    if (error.empty() && !file.headers.empty()) {
      llvm::Expected<clang::format::FormatStyle> style =
          clang::format::getStyle("file", path, "LLVM", original);
      clang::format::FormatStyle resolved = style ? *style : clang::format::getLLVMStyle();
      if (!style) llvm::consumeError(style.takeError());
      clang::tooling::HeaderIncludes includes(path, original, resolved.IncludeStyle);
      // Two headers may go to one offset; Replacements refuses two insertions
      // there, so they become one, in the order HeaderIncludes sorted them.
      std::map<unsigned, std::string> insertions;
      for (const auto& [header, angled] : file.headers) {
        llvm::Optional<Replacement> insert = includes.insert(header, angled);
        if (insert) insertions[insert->getOffset()] += insert->getReplacementText().str();
      }
      for (const auto& [offset, text] : insertions) {
        Replacement with_endings(path, offset, 0, WithLineEndings(text, crlf));
        if (llvm::Error err = replacements.add(with_endings)) {
          const std::string header = text;
          error = "cannot insert #include of " + header + ": " + llvm::toString(std::move(err));
          break;
        }
      }
    }
    if (!error.empty()) {
      std::replace(error.begin(), error.end(), '\n', ' ');
      conflicts[path] = error;
      continue;
    }
    llvm::Expected<std::string> updated = clang::tooling::applyAllReplacements(original, replacements);
    if (!updated) {
      conflicts[path] = llvm::toString(updated.takeError());
      continue;
    }
    if (*updated == original) continue;
    FileEdit edit;
    edit.path = path;
    edit.original = original;
    edit.updated = std::move(*updated);
    edit.replacements = std::move(replacements);
    plan.files[path] = std::move(edit);
  }
  for (Site& site : sites) {
    if (site.display.empty()) site.display = site.span.file;
    auto conflict = conflicts.find(site.span.file);
    if (conflict != conflicts.end() && site.decision != Decision::kManual &&
        site.decision != Decision::kSuppressed) {
      site.decision = Decision::kManual;
      site.reason = "edits to this file conflict (" + conflict->second + "); was: " + site.reason;
      site.replacement.clear();
    }
    auto edit = plan.files.find(site.span.file);
    if (edit != plan.files.end()) edit->second.display = site.display;
  }
  for (auto& [path, edit] : plan.files)
    if (edit.display.empty()) edit.display = path;
  return plan;
}

namespace {

std::vector<std::string_view> Lines(const std::string& text) {
  std::vector<std::string_view> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.emplace_back(text.data() + begin, end - begin);
    begin = end;
  }
  return lines;
}

enum class Op { kEqual, kDelete, kInsert };

// Myers' O((N+M)D) diff; edits here are few, so D is small.
std::vector<std::pair<Op, std::string_view>> DiffLines(const std::vector<std::string_view>& a,
                                                       const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size()), max = n + m;
  std::vector<int> v(2 * max + 2, 0);
  std::vector<std::vector<int>> trace;
  int found_d = 0;
  for (int d = 0; d <= max; ++d) {
    trace.push_back(v);
    bool done = false;
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? v[max + k + 1] : v[max + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[max + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) {
      found_d = d;
      break;
    }
  }
  std::vector<std::pair<Op, std::string_view>> ops;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& vd = trace[d];
    const int k = x - y;
    const int prev_k = (k == -d || (k != d && vd[max + k - 1] < vd[max + k + 1])) ? k + 1 : k - 1;
    const int prev_x = vd[max + prev_k], prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) ops.push_back({Op::kEqual, a[--x]}), --y;
    if (x == prev_x) ops.push_back({Op::kInsert, b[--y]});
    else ops.push_back({Op::kDelete, a[--x]});
  }
  while (x > 0 && y > 0) ops.push_back({Op::kEqual, a[--x]}), --y;
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void PrintLine(std::ostringstream& out, char prefix, std::string_view line) {
  out << prefix << line;
  if (line.empty() || line.back() != '\n') out << "\n\\ No newline at end of file\n";
}

}  // namespace

std::string UnifiedDiff(const FileEdit& edit) {
  const std::vector<std::string_view> a = Lines(edit.original), b = Lines(edit.updated);
  const std::vector<std::pair<Op, std::string_view>> ops = DiffLines(a, b);
  constexpr size_t kContext = 3;
  std::ostringstream out;
  out << "--- a/" << edit.display << "\n+++ b/" << edit.display << "\n";
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i].first == Op::kEqual) {
      ++i;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext after the
    // last change that is within 2*kContext of the previous one.
    size_t begin = i >= kContext ? i - kContext : 0;
    while (begin < i && ops[begin].first != Op::kEqual) ++begin;
    size_t end = i;
    size_t equal_run = 0;
    for (size_t j = i; j < ops.size(); ++j) {
      if (ops[j].first == Op::kEqual) {
        if (++equal_run > 2 * kContext) break;
      } else {
        equal_run = 0;
        end = j + 1;
      }
    }
    end = std::min(ops.size(), end + kContext);
    size_t old_line = 1, new_line = 1;
    for (size_t j = 0; j < begin; ++j) {
      if (ops[j].first != Op::kInsert) ++old_line;
      if (ops[j].first != Op::kDelete) ++new_line;
    }
    size_t old_count = 0, new_count = 0;
    for (size_t j = begin; j < end; ++j) {
      if (ops[j].first != Op::kInsert) ++old_count;
      if (ops[j].first != Op::kDelete) ++new_count;
    }
    out << "@@ -" << (old_count ? old_line : old_line - 1) << "," << old_count << " +"
        << (new_count ? new_line : new_line - 1) << "," << new_count << " @@\n";
    for (size_t j = begin; j < end; ++j)
      PrintLine(out, ops[j].first == Op::kEqual ? ' ' : ops[j].first == Op::kDelete ? '-' : '+',
                ops[j].second);
    i = end;
  }
  return out.str();
}

std::string WriteAtomically(const std::string& path, const std::string& expected,
                            const std::string& updated) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path + ": " + std::strerror(errno);
  std::string current((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (current != expected) return path + " changed since it was parsed; not written (run again)";
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return "cannot stat " + path + ": " + std::strerror(errno);
  llvm::SmallString<256> model(path);
  model += ".migrate-%%%%%%";
  int fd = -1;
  llvm::SmallString<256> temp;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp))
    return "cannot create a temporary file next to " + path + ": " + ec.message();
  bool ok = true;
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << updated;
    out.close();
    ok = !out.has_error();
    out.clear_error();
  }
  if (ok) ok = ::chmod(temp.c_str(), info.st_mode & 07777) == 0;
  if (ok) ok = !llvm::sys::fs::rename(temp, path);
  if (!ok) {
    llvm::sys::fs::remove(temp);
    return "cannot write " + path + "; left unchanged";
  }
  return "";
}

}  // namespace migrate
