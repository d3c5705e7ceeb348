// `rig`: everything is in driver (driver.h).
#include <string>
#include <vector>

#include "driver/driver.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return rig::driver::runRig(args, rig::driver::processHost(argv[0]));
}
