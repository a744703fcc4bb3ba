# lit configuration for Tacit's tests.
#
# Substitutions:
#   %tacitxx      build/bin/tacit++ (plugin + header + static runtime)
#   %clangxx      clang++-19, nothing added
#   %plugin       -fplugin=<tacit-plugin.so>
#   %include      -I<runtime/include>
#   %support      -I<test/support> (test-only helpers such as the ledger)
#   %tacit_static / %tacit_shared   the runtime libraries
#   %tacit_lower  the tacit-lower tool
#   %jemalloc %mimalloc %tcmalloc   allocator libraries to preload
# Features: plugin, tacit-lower, jemalloc, mimalloc, tcmalloc, asan, and
#   nlohmann, fmt, boost (their headers are under /usr/include).
import os
import lit.formats

config.name = 'Tacit'
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = ['.cpp', '.test']
config.excludes = ['support', 'Inputs', 'lit.cfg.py', 'lit.site.cfg.py.in',
                   'CMakeLists.txt']
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = os.path.join(config.tacit_obj_root, 'test')

config.environment['PATH'] = os.pathsep.join(
    [config.llvm_tools_dir, os.path.join(config.tacit_obj_root, 'bin'),
     config.environment.get('PATH', os.environ.get('PATH', ''))])
for var in ('HOME', 'TMPDIR'):
    if var in os.environ:
        config.environment[var] = os.environ[var]

src = config.tacit_src_root
config.substitutions += [
    ('%{obj_root}', config.tacit_obj_root),
    ('%{src_root}', config.tacit_src_root),
    ('%tacitxx', os.path.join(config.tacit_obj_root, 'bin', 'tacit++')),
    ('%clangxx', config.clangxx),
    ('%plugin', '-fplugin=' + config.tacit_plugin),
    ('%include', '-I' + os.path.join(src, 'runtime', 'include')),
    ('%support', '-I' + os.path.join(src, 'test', 'support')),
    ('%{tacit_shared_dir}', os.path.dirname(config.tacit_shared)),
    ('%tacit_static', config.tacit_static),
    ('%tacit_shared', config.tacit_shared),
    ('%tacit_lower', config.tacit_lower),
    ('%jemalloc', config.jemalloc),
    ('%mimalloc', config.mimalloc),
    ('%tcmalloc', config.tcmalloc),
]

if config.tacit_plugin:
    config.available_features.add('plugin')
if config.tacit_lower:
    config.available_features.add('tacit-lower')
for lib in ('jemalloc', 'mimalloc', 'tcmalloc'):
    path = getattr(config, lib)
    if path and not path.endswith('NOTFOUND') and os.path.exists(path):
        config.available_features.add(lib)
if os.path.exists('/usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.asan-x86_64.a'):
    config.available_features.add('asan')
# Real third-party headers (test/plugin/RealHeaders-*.cpp), one feature per
# Debian package: nlohmann-json3-dev, libfmt-dev, libboost-dev.
for feature, header in (('nlohmann', 'nlohmann/json.hpp'),
                        ('fmt', 'fmt/format.h'),
                        ('boost', 'boost/version.hpp')):
    if os.path.exists(os.path.join('/usr/include', header)):
        config.available_features.add(feature)
