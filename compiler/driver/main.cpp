// `rig`: everything is in compiler/driver (driver.h).
#include <string>
#include <vector>

#include "compiler/driver/driver.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return rig::driver::runRig(args, rig::driver::processHost(argv[0]));
}
