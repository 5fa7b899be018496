#!/usr/bin/env bash
# EXPERIMENTAL: builds a plugin's native executable with GraalVM's native-image builder taken from
# Maven Central (org.graalvm.nativeimage:svm and its dependencies) and run on a stock JDK 25 with
# JVMCI (Temurin 25), without a GraalVM distribution. Run by compensa-plugin-parent's profile
# compensa-plugin-native (mvn package -Dcompensa.plugin.native=true); never by the default build.
#
# What a GraalVM distribution has and Maven Central does not, and what stands in for it here:
# - the native-image driver (svm-driver): this script starts the builder itself
#   (com.oracle.svm.hosted.NativeImageGeneratorRunner), with the JVM options the driver gives it;
# - lib/svm/clibraries (liblibchelper.a, libjvm.a, headers) and lib/svm/builder/lib
#   (libreporterchelper.so): compiled here with gcc from native-image/c, headers generated from
#   the svm jar's own declarations;
# - the JDK's static libraries (libjava.a, libnio.a, libnet.a, libzip.a, lib/static in a labs
#   JDK): linker scripts that link the JDK's shared libraries instead. The executable then needs
#   that JDK's lib directory at run time (its RPATH) and a libjvm.so of its own (NAME-lib/, next
#   to it) for the libraries' NEEDED libjvm.so: the JVM_ functions GraalVM's libjvm.a has.
# - META-INF/native-image/**/native-image.properties (read by the driver): translated here.
# The builder needs a JDK home it can write lib/svm into: a symlinked copy of JDK 25 in WORK/home.
#
# Usage: build.sh JDK25_HOME BUILDER_JARS_DIR PLUGIN_JAR MAIN_CLASS OUT_DIR NAME WORK_DIR
# writes OUT_DIR/NAME-image (the executable), OUT_DIR/NAME-image-launcher (what a host runs) and
# OUT_DIR/NAME-lib/libjvm.so.
set -euo pipefail
if [[ $# -ne 7 ]]; then
  echo "usage: build.sh JDK25_HOME BUILDER_JARS_DIR PLUGIN_JAR MAIN_CLASS OUT_DIR NAME WORK_DIR" >&2
  exit 2
fi
jdk=$1 jars=$2 jar=$3 main=$4 out=$5 name=$6 work=$7
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in gcc ar python3; do
  command -v "$tool" >/dev/null || { echo "native image: $tool is missing (apt-get install gcc zlib1g-dev python3)" >&2; exit 1; }
done
[[ -f /usr/include/zlib.h ]] || { echo "native image: zlib headers are missing (apt-get install zlib1g-dev)" >&2; exit 1; }
"$jdk/bin/java" --list-modules | grep -q '^jdk.internal.vm.ci@' \
  || { echo "native image: $jdk has no JVMCI (jdk.internal.vm.ci): give a JDK 25 such as Temurin 25" >&2; exit 1; }

# 1. a JDK home the builder can use as its GraalVM home: symlinks, with java and libjvm.so copied
#    (the JVM finds its home from libjvm.so's real path)
home="$work/home"
rm -rf "$home" && mkdir -p "$work"
cp -rs "$jdk" "$home"
rm "$home/bin/java" "$home/lib/server/libjvm.so"
cp "$jdk/bin/java" "$home/bin/java"
cp "$jdk/lib/server/libjvm.so" "$home/lib/server/libjvm.so"
clib="$home/lib/svm/clibraries"
mkdir -p "$clib/include" "$clib/linux-amd64/glibc" "$home/lib/svm/builder/lib" "$home/lib/static/linux-amd64/glibc"

# 2. the headers, generated from the svm jar's @CStruct declarations
classes="$work/svm-classes"
rm -rf "$classes" && mkdir -p "$classes"
(cd "$classes" && "$jdk/bin/jar" xf "$jars"/svm-*.jar com/oracle/svm/core/amd64 com/oracle/svm/core/aarch64 com/oracle/svm/core/riscv64)
header() {
  { echo "typedef struct {"
    "$jdk/bin/javap" -cp "$classes" -p "$1" | sed -n 's/.*abstract boolean \(f[A-Za-z0-9_]*\)();/  char \1;/p'
    echo "} CPUFeatures;"; } > "$clib/include/$2"
}
header 'com.oracle.svm.core.amd64.AMD64LibCHelper$CPUFeatures' amd64cpufeatures.h
header 'com.oracle.svm.core.aarch64.AArch64LibCHelper$CPUFeatures' aarch64cpufeatures.h
header 'com.oracle.svm.core.riscv64.RISCV64LibCHelper$CPUFeatures' riscv64cpufeatures.h
cat > "$clib/include/svm_locale.h" <<'EOF'
const int SVM_LOCALE_INITIALIZATION_USE_DEFAULT = 0;
const int SVM_LOCALE_INITIALIZATION_SUCCEEDED = 1;
const int SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY = 2;
typedef struct {
  char *format_language, *format_script, *format_country, *format_variant;
  char *display_language, *display_script, *display_country, *display_variant;
} svm_locale_props_t;
EOF

# 3. the C libraries
jni=(-I"$jdk/include" -I"$jdk/include/linux")
gcc -O2 -fPIC -I"$clib/include" -c "$here/c/libchelper.c" -o "$work/libchelper.o"
ar rcs "$clib/linux-amd64/glibc/liblibchelper.a" "$work/libchelper.o"
gcc -O2 -fPIC "${jni[@]}" -c "$here/c/jvmfuncs.c" -o "$work/jvmfuncs.o"
ar rcs "$clib/linux-amd64/glibc/libjvm.a" "$work/jvmfuncs.o"
gcc -O2 -shared -fPIC "${jni[@]}" -o "$home/lib/svm/builder/lib/libreporterchelper.so" "$here/c/reporterchelper.c"
for lib in java nio net zip; do
  echo "INPUT($jdk/lib/lib$lib.so)" > "$home/lib/static/linux-amd64/glibc/lib$lib.a"
done
# the libjvm.so the JDK libraries name (NEEDED, symbol version SUNWprivate_1.1; they are linked
# with -z now, so every JVM_ symbol they import must resolve at load): the JVM_ functions of
# c/jvmfuncs.c, and for the others a stub that says which one was called and aborts
mkdir -p "$out/$name-lib"
gcc -O2 -fPIC "${jni[@]}" -c "$here/c/jvmfuncs.c" -o "$work/jvmfuncs-shared.o"
nm -D --defined-only "$jdk/lib/server/libjvm.so" | awk '{print $3}' | sed 's/@.*//' | sort -u > "$work/libjvm.defined"
for lib in java nio net zip management_ext; do
  nm -D --undefined-only "$jdk/lib/lib$lib.so" | awk '{print $2}' | sed 's/@.*//'
done | sort -u | comm -12 - "$work/libjvm.defined" > "$work/libjvm.needed"
nm --defined-only "$work/jvmfuncs-shared.o" | awk '$2=="T"{print $3}' | sort -u > "$work/libjvm.provided"
{ echo '#include <stdio.h>'
  echo '#include <stdlib.h>'
  echo 'static void unsupported(const char *name) { fprintf(stderr, "native image: the JDK library called %s, which this executable does not provide\n", name); abort(); }'
  comm -23 "$work/libjvm.needed" "$work/libjvm.provided" | while read -r symbol; do
    echo "void $symbol(void) { unsupported(\"$symbol\"); }"
  done; } > "$work/libjvm-stubs.c"
echo 'SUNWprivate_1.1 { global: *; };' > "$work/libjvm.map"
gcc -O2 -shared -fPIC -Wl,-soname,libjvm.so -Wl,--version-script="$work/libjvm.map" \
  -o "$out/$name-lib/libjvm.so" "$work/jvmfuncs-shared.o" "$work/libjvm-stubs.c" -ldl

# 4. the plugin jar's native-image configuration, as the driver would pass it, and reflection for
#    the generated protobuf classes (their field accessors are looked up reflectively)
python3 "$here/configure.py" "$jar" "$work" > "$work/image.args"

# 5. the builder, with the JVM options the native-image driver gives it
exports=()
targets=jdk.graal.compiler,org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.base,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.configure,org.graalvm.truffle.compiler
for module in $("$jdk/bin/java" --list-modules | sed 's/@.*//'); do
  for package in $("$jdk/bin/java" --describe-module "$module" | awk '$1=="contains"{print $2} $1=="qualified"{print $3}'); do
    exports+=("--add-exports=$module/$package=$targets")
  done
done
modulepath=$(ls "$jars"/*.jar | grep -v '/compiler-[0-9]' | paste -sd:)
compiler=$(ls "$jars"/compiler-[0-9]*.jar)
# Temurin's JVMCI is older than the one the builder's Graal asks for (it checks the version); the
# parts a native image build uses are there
export JVMCI_VERSION_CHECK=ignore
"$home/bin/java" -XX:+UseParallelGC -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI -XX:-UseJVMCICompiler \
  "${exports[@]}" -Xss10m -Xmx"${COMPENSA_NATIVE_IMAGE_XMX:-3g}" -Djava.awt.headless=true \
  -Dorg.graalvm.vendor=Compensa-experiment -Dorg.graalvm.version=25 -Dcom.oracle.graalvm.isaot=true \
  -Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader \
  -Dorg.graalvm.nativeimage.imagecode=buildtime -Xshare:off \
  -Djdk.internal.lambda.disableEagerInitialization=true \
  -Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1 -Djava.lang.invoke.MethodHandle.PROFILE_GWT=false \
  --enable-native-access=org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.base,org.graalvm.nativeimage.objectfile \
  --upgrade-module-path "$compiler" --module-path "$modulepath" \
  --module org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner \
  -imagecp "$jar" \
  -H:CLibraryPath="$clib/linux-amd64/glibc,$clib/linux-amd64,$clib" \
  -H:ImageBuildID="$(cat /proc/sys/kernel/random/uuid)" \
  -H:Path="$out" -H:Name="$name-image" -H:Class="$main" \
  -H:+UnlockExperimentalVMOptions -H:FallbackThreshold=0 -H:+ReportExceptionStackTraces \
  -H:NativeLinkerOption=-Wl,--allow-shlib-undefined \
  -H:NativeLinkerOption=-L"$out/$name-lib" \
  "-H:NativeLinkerOption=-Wl,-rpath,\$ORIGIN/$name-lib:$jdk/lib" -H:NativeLinkerOption=-Wl,--disable-new-dtags \
  -H:NativeLinkerOption="$jdk/lib/libmanagement_ext.so" \
  $(cat "$work/image.args") 2> >(grep -v '^WARNING: Unknown module' >&2)

# 6. the launcher a host runs: the executable, with Netty's epoll library loaded in place from the
#    directory the JVM packaging's training run fills (NAME-native/, as the JVM launcher does), and
#    the run-time options of COMPENSA_NATIVE_IMAGE_OPTIONS (default -Xmx64m, the JVM plugin's heap:
#    without it the image's young generation alone takes ~45 MiB more RSS)
options="${COMPENSA_NATIVE_IMAGE_OPTIONS--Xmx64m}"
cat > "$out/$name-image-launcher" <<LAUNCHER
#!/usr/bin/env bash
# EXPERIMENTAL native variant of $name (compensa-plugin-parent, -Dcompensa.plugin.native=true).
# Needs $jdk/lib at run time (the JDK's native libraries are linked, not copied).
set -euo pipefail
self="\${BASH_SOURCE[0]}"
if [[ -L "\$self" || "\$self" != /* ]]; then self="\$(readlink -f "\$self")"; fi
dir="\${self%/*}"
if [[ -d "\$dir/$name-native" ]]; then
  export LD_LIBRARY_PATH="\$dir/$name-native\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
fi
exec "\$dir/$name-image" $options "\$@"
LAUNCHER
chmod +x "$out/$name-image-launcher"
