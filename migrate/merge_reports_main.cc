// merge_reports: one --report document from the per-target ones of
// migrate_aspect. Used by apply_fixes.sh:
//   merge_reports <output.json> <name>=<report.json>...
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "migrate/merge_reports.h"

int main(int argc, char** argv) {
  auto fail = [](const std::string& message) {
    std::cerr << "merge_reports: error: " << message << "\n";
    return 2;
  };
  if (argc < 3) return fail("usage: merge_reports <output.json> <name>=<report.json>...");
  std::vector<migrate::NamedReport> reports;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    if (equals == std::string::npos) return fail("expected <name>=<report.json>, got '" + arg + "'");
    const std::string path = arg.substr(equals + 1);
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("cannot read " + path);
    reports.push_back({arg.substr(0, equals),
                       std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())});
  }
  std::string error;
  const std::string merged = migrate::MergeReports(reports, &error);
  if (!error.empty()) return fail(error);
  std::ofstream out(argv[1], std::ios::binary);
  out << merged;
  if (!(out << std::flush)) return fail(std::string("cannot write ") + argv[1]);
  return 0;
}
