#include "migrate/flags.h"

#include <set>

#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace migrate {
namespace {

// A command's arguments after argv[0], as Clang's driver parses them (the
// parsed arguments point into `command`).
struct DriverArgs {
  std::vector<const char*> argv;
  llvm::opt::InputArgList parsed;
};

DriverArgs ParseDriverArgs(const std::vector<std::string>& command) {
  std::vector<const char*> argv;
  for (size_t i = 1; i < command.size(); ++i) argv.push_back(command[i].c_str());
  unsigned missing_index = 0, missing_count = 0;
  llvm::opt::InputArgList parsed = clang::driver::getDriverOptTable().ParseArgs(argv, missing_index, missing_count);
  return {std::move(argv), std::move(parsed)};
}

// argv[0] and the arguments whose position in DriverArgs::argv is not in `drop`.
std::vector<std::string> Without(const std::vector<std::string>& command, const std::set<unsigned>& drop) {
  std::vector<std::string> kept = {command[0]};
  for (size_t i = 1; i < command.size(); ++i)
    if (!drop.count(i - 1)) kept.push_back(command[i]);
  return kept;
}

// Whether Clang's driver would take `path` for a PCH it cannot read: a GCC
// PCH directory, or a file without Clang's AST signature ("CPCH").
bool IsForeignPch(const std::string& path) {
  if (llvm::sys::fs::is_directory(path)) return true;
  if (!llvm::sys::fs::exists(path)) return false;
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, 4, 0);
  return !buffer || (*buffer)->getBuffer() != "CPCH";
}

}  // namespace

std::vector<std::string> DropUnknownFlags(const std::vector<std::string>& command,
                                          std::vector<std::string>* dropped) {
  if (command.size() < 2) return command;
  const DriverArgs args = ParseDriverArgs(command);
  // Each unknown argument occupies exactly its own position in argv.
  std::set<unsigned> unknown;
  for (const llvm::opt::Arg* arg : args.parsed.filtered(clang::driver::options::OPT_UNKNOWN)) {
    unknown.insert(arg->getIndex());
    if (dropped) dropped->push_back(args.argv[arg->getIndex()]);
  }
  return Without(command, unknown);
}

std::vector<std::string> BypassForeignPch(const std::vector<std::string>& command, const std::string& directory,
                                          std::vector<std::string>* noted) {
  if (command.size() < 2) return command;
  const DriverArgs args = ParseDriverArgs(command);
  std::set<unsigned> positions;  // argv positions of the -include flags
  std::vector<std::string> headers;
  bool foreign = false;
  for (const llvm::opt::Arg* arg : args.parsed.filtered(clang::driver::options::OPT_include)) {
    const std::string header = arg->getValue();
    positions.insert(arg->getIndex());
    if (arg->getSpelling() == args.argv[arg->getIndex()]) positions.insert(arg->getIndex() + 1);  // separate value
    headers.push_back(header);
    llvm::SmallString<256> path(header);
    if (!llvm::sys::path::is_absolute(path)) {
      path = directory;
      llvm::sys::path::append(path, header);
    }
    foreign |= IsForeignPch((path + ".pch").str()) || IsForeignPch((path + ".gch").str());
  }
  if (!foreign) return command;
  std::vector<std::string> out = Without(command, positions);
  for (const std::string& header : headers) {
    out.insert(out.end(), {"-Xclang", "-include", "-Xclang", header});
    if (noted) noted->push_back(header);
  }
  return out;
}

}  // namespace migrate
