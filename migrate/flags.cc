#include "migrate/flags.h"

#include <set>

#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"

namespace migrate {

std::vector<std::string> DropUnknownFlags(const std::vector<std::string>& command,
                                          std::vector<std::string>* dropped) {
  if (command.size() < 2) return command;
  std::vector<const char*> args;
  for (size_t i = 1; i < command.size(); ++i) args.push_back(command[i].c_str());
  unsigned missing_index = 0, missing_count = 0;
  const llvm::opt::OptTable& table = clang::driver::getDriverOptTable();
  llvm::opt::InputArgList parsed = table.ParseArgs(args, missing_index, missing_count);
  // Each unknown argument occupies exactly its own position in argv.
  std::set<unsigned> unknown;
  for (const llvm::opt::Arg* arg : parsed.filtered(clang::driver::options::OPT_UNKNOWN))
    unknown.insert(arg->getIndex());
  std::vector<std::string> kept = {command[0]};
  for (unsigned i = 0; i < args.size(); ++i) {
    if (unknown.count(i)) {
      if (dropped) dropped->push_back(args[i]);
      continue;
    }
    kept.push_back(args[i]);
  }
  return kept;
}

}  // namespace migrate
