/* EXPERIMENTAL (compensa-plugin-parent, -Dcompensa.plugin.native=true): the JVM_ functions a GraalVM distribution
   ships prebuilt as lib/svm/clibraries/libjvm.a. The JDK native libraries are linked as the JDK's shared
   ones (a JDK has no static ones), which call these through the executable's exported symbols. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <netdb.h>
#include <errno.h>
#include <dlfcn.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <sched.h>
#include <arpa/inet.h>
#include <jni.h>
extern int __svm_vm_is_static_binary;
#define RESTARTABLE(_cmd, _result) do { _result = _cmd; } while (((int) _result == -1) && (errno == EINTR))
JNIEXPORT void JNICALL initialize() {}
JNIEXPORT int JNICALL JVM_GetInterfaceVersion() { return 6; }
JNIEXPORT int JNICALL JVM_ActiveProcessorCount() { cpu_set_t s; if (sched_getaffinity(0, sizeof s, &s) == 0) return CPU_COUNT(&s); return sysconf(_SC_NPROCESSORS_ONLN); }
JNIEXPORT int JNICALL JVM_Connect(int fd, struct sockaddr *him, socklen_t len) { int r; RESTARTABLE(connect(fd, him, len), r); return r; }
JNIEXPORT void *JNICALL JVM_FindLibraryEntry(void *handle, const char *name) { if (strcmp(name, "inet_pton") == 0) return inet_pton; return dlsym(handle, name); }
JNIEXPORT int JNICALL JVM_GetHostName(char *name, int namelen) { return gethostname(name, namelen); }
JNIEXPORT int JNICALL JVM_GetSockOpt(int fd, int level, int optname, char *optval, socklen_t *optlen) { return getsockopt(fd, level, optname, optval, optlen); }
JNIEXPORT int JNICALL JVM_Socket(int domain, int type, int protocol) { return socket(domain, type, protocol); }
JNIEXPORT int JNICALL JVM_GetSockName(int fd, struct sockaddr *him, socklen_t *len) { return getsockname(fd, him, len); }
JNIEXPORT int JNICALL JVM_Listen(int fd, int count) { return listen(fd, count); }
JNIEXPORT int JNICALL JVM_Send(int fd, char *buf, size_t n, unsigned int flags) { int r; RESTARTABLE(send(fd, buf, n, flags), r); return r; }
JNIEXPORT int JNICALL JVM_SetSockOpt(int fd, int level, int optname, const char *optval, socklen_t optlen) { return setsockopt(fd, level, optname, optval, optlen); }
JNIEXPORT int JNICALL JVM_SocketAvailable(int fd, int *pbytes) { int r; if (fd < 0) return 0; RESTARTABLE(ioctl(fd, FIONREAD, pbytes), r); return r == -1 ? 0 : 1; }
JNIEXPORT int JNICALL JVM_SocketClose(int fd) { return close(fd); }
JNIEXPORT int JNICALL JVM_SocketShutdown(int fd, int howto) { return shutdown(fd, howto); }
JNIEXPORT int JNICALL JVM_InitializeSocketLibrary() { return 0; }
JNIEXPORT jlong JNICALL JVM_CurrentTimeMillis(void *env, void *ignored) { struct timeval t; gettimeofday(&t, NULL); return (jlong) t.tv_sec * 1000 + t.tv_usec / 1000; }
JNIEXPORT jlong JNICALL JVM_NanoTime(void *env, void *ignored) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (jlong) t.tv_sec * 1000000000LL + t.tv_nsec; }
JNIEXPORT jlong JNICALL JVM_GetNanoTimeAdjustment(void *env, void *ignored, jlong offset_secs) {
  struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
  int64_t diff = (int64_t) t.tv_sec - offset_secs;
  if (diff >= 0x0100000000LL || diff <= -0x0100000000LL) return -1;
  return diff * 1000000000LL + t.tv_nsec;
}
JNIEXPORT void JNICALL JVM_Halt(int retcode) { exit(retcode); }
JNIEXPORT void JNICALL JVM_BeforeHalt() {}
JNIEXPORT int JNICALL JVM_GetLastErrorString(char *buf, int len) {
  if (errno == 0) return 0;
  const char *s = strerror(errno); size_t n = strlen(s); if (n >= (size_t) len) n = len - 1;
  strncpy(buf, s, n); buf[n] = 0; return (int) n;
}
JNIEXPORT jstring JNICALL JVM_GetTemporaryDirectory(JNIEnv *env) { return (*env)->NewStringUTF(env, "/tmp"); }
JNIEXPORT jboolean JNICALL JVM_IsStaticallyLinked(void) { return JNI_FALSE; }
/* The JDK's shared libraries have JNI_OnLoad; a native image calls JNI_OnLoad_<lib> of its built-in libraries */
static jint onload(const char *so, JavaVM *vm, void *reserved) {
  void *h = dlopen(so, RTLD_NOW | RTLD_NOLOAD);
  if (h == NULL) h = dlopen(so, RTLD_NOW);
  if (h != NULL) { jint (*f)(JavaVM *, void *) = (jint (*)(JavaVM *, void *)) dlsym(h, "JNI_OnLoad"); if (f != NULL && f(vm, reserved) < 0) return JNI_ERR; }
  return JNI_VERSION_1_8;
}
JNIEXPORT jint JNICALL JNI_OnLoad_java(JavaVM *vm, void *r) { return onload("libjava.so", vm, r); }
JNIEXPORT jint JNICALL JNI_OnLoad_net(JavaVM *vm, void *r) { return onload("libnet.so", vm, r); }
JNIEXPORT jint JNICALL JNI_OnLoad_nio(JavaVM *vm, void *r) { return onload("libnio.so", vm, r); }
JNIEXPORT jint JNICALL JNI_OnLoad_zip(JavaVM *vm, void *r) { return onload("libzip.so", vm, r); }

int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
  if ((intptr_t) count <= 0) return -1;
  int result = vsnprintf(str, count, fmt, args);
  if ((result > 0 && (size_t) result >= count) || result == -1) { str[count - 1] = 0; result = -1; }
  return result;
}
int jio_vfprintf(FILE *f, const char *fmt, va_list args) { return vfprintf(f, fmt, args); }
int jio_snprintf(char *str, size_t count, const char *fmt, ...) { va_list a; va_start(a, fmt); int r = jio_vsnprintf(str, count, fmt, a); va_end(a); return r; }
int jio_fprintf(FILE *f, const char *fmt, ...) { va_list a; va_start(a, fmt); int r = jio_vfprintf(f, fmt, a); va_end(a); return r; }
