/* EXPERIMENTAL (compensa-plugin-parent, -Dcompensa.plugin.native=true): the C helpers a GraalVM distribution ships
   prebuilt in lib/svm/clibraries/liblibchelper.a, written here against the Java declarations of
   org.graalvm.nativeimage:svm 25.0.4 (AMD64LibCHelper, CSunMiscSignal, ContainerLibrary, LocaleCHelper).
   Maven Central has the image builder but not these. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <sys/select.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <cpuid.h>
#include <alloca.h>
#include <locale.h>
#include "amd64cpufeatures.h"
#include "svm_locale.h"

static uint64_t xgetbv0(void) { uint32_t a, d; __asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0)); return ((uint64_t) d << 32) | a; }

void determineCPUFeatures(CPUFeatures *f) {
  unsigned a, b, c, d, max;
  memset(f, 0, sizeof(*f));
  max = __get_cpuid_max(0, NULL);
  if (max < 1) return;
  __cpuid(1, a, b, c, d);
  f->fCX8 = !!(d & (1u << 8)); f->fCMOV = !!(d & (1u << 15)); f->fMMX = !!(d & (1u << 23)); f->fFXSR = !!(d & (1u << 24));
  f->fSSE = !!(d & (1u << 25)); f->fSSE2 = !!(d & (1u << 26)); f->fHT = !!(d & (1u << 28)); f->fTSC = !!(d & (1u << 4));
  f->fFLUSH = !!(d & (1u << 19));
  f->fSSE3 = !!(c & 1u); f->fCLMUL = !!(c & (1u << 1)); f->fSSSE3 = !!(c & (1u << 9)); f->fFMA = !!(c & (1u << 12));
  f->fSSE4_1 = !!(c & (1u << 19)); f->fSSE4_2 = !!(c & (1u << 20)); f->fPOPCNT = !!(c & (1u << 23)); f->fAES = !!(c & (1u << 25));
  f->fF16C = !!(c & (1u << 29)); f->fHV = !!(c & (1u << 31));
  int osxsave = !!(c & (1u << 27)), avx = !!(c & (1u << 28));
  uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  int ymm = (xcr0 & 6) == 6;
  f->fAVX = avx && ymm;
  if (!f->fAVX) { f->fFMA = 0; f->fF16C = 0; }
  f->fVZEROUPPER = f->fAVX;
  if (max >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    f->fBMI1 = !!(b & (1u << 3)); f->fAVX2 = ymm && (b & (1u << 5)); f->fBMI2 = !!(b & (1u << 8)); f->fERMS = !!(b & (1u << 9));
    f->fADX = !!(b & (1u << 19)); f->fSHA = !!(b & (1u << 29)); f->fFLUSHOPT = !!(b & (1u << 23)); f->fCLWB = !!(b & (1u << 24));
    f->fRDPID = !!(c & (1u << 22)); f->fGFNI = !!(c & (1u << 8)); f->fFSRM = !!(d & (1u << 4)); f->fSERIALIZE = !!(d & (1u << 14));
  }
  __cpuid(0x80000000, a, b, c, d);
  if (a >= 0x80000001) {
    __cpuid(0x80000001, a, b, c, d);
    f->fLZCNT = !!(c & (1u << 5)); f->fSSE4A = !!(c & (1u << 6)); f->fAMD_3DNOW_PREFETCH = !!(c & (1u << 8)); f->fRDTSCP = !!(d & (1u << 27));
  }
}

int checkCPUFeatures(uint8_t *buildtime) {
  static int checked = -1;
  if (checked != -1) return checked;
  CPUFeatures host;
  determineCPUFeatures(&host);
  uint8_t *h = (uint8_t *) &host;
  checked = 0;
  /* the build-time mask has 0xFF for a feature the image does not need and ~1 for one it needs */
  for (size_t i = 0; i < sizeof(CPUFeatures); i++) if ((uint8_t) (buildtime[i] | h[i]) != 0xFF) checked = 1;
  return checked;
}

int checkCPUFeaturesOrExit(uint8_t *buildtime, const char *msg) {
  int r = checkCPUFeatures(buildtime);
  if (r != 0) { fputs(msg, stderr); fputc('\n', stderr); exit(1); }
  return r;
}

extern char **environ;
char **getEnviron(void) { return environ; }
int getThreadId(void) { return (int) syscall(SYS_gettid); }
long getThreadUserTimeSlow(int tid) { return -1; }

char *SVM_FindJavaTZmd(const char *mappings, int length) {
  const char *tz = getenv("TZ");
  if (tz != NULL && *tz != 0) { if (*tz == ':') tz++; return strdup(tz); }
  char buf[PATH_MAX];
  ssize_t n = readlink("/etc/localtime", buf, sizeof(buf) - 1);
  if (n > 0) { buf[n] = 0; char *z = strstr(buf, "zoneinfo/"); if (z) return strdup(z + 9); }
  FILE *f = fopen("/etc/timezone", "r");
  if (f) { if (fgets(buf, sizeof buf, f)) { buf[strcspn(buf, "\n")] = 0; fclose(f); return strdup(buf); } fclose(f); }
  return strdup("UTC");
}

static svm_locale_props_t locale_props;
/* language_COUNTRY.encoding@variant from the POSIX locale, as the JDK reads it; "C"/"POSIX" is en */
static void parse_locale(const char *name, char **language, char **country, char **variant) {
  if (name == NULL || *name == 0 || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0) {
    *language = strdup("en");
    return;
  }
  char *copy = strdup(name);
  char *at = strchr(copy, '@');
  if (at != NULL) { *at = 0; *variant = strdup(at + 1); }
  char *dot = strchr(copy, '.');
  if (dot != NULL) *dot = 0;
  char *underscore = strchr(copy, '_');
  if (underscore != NULL) { *underscore = 0; *country = strdup(underscore + 1); }
  *language = strdup(copy);
  free(copy);
}
int svm_initialize_locale(void) {
  parse_locale(setlocale(LC_CTYPE, ""), &locale_props.format_language, &locale_props.format_country, &locale_props.format_variant);
  parse_locale(setlocale(LC_MESSAGES, ""), &locale_props.display_language, &locale_props.display_country, &locale_props.display_variant);
  return locale_props.format_language != NULL && locale_props.display_language != NULL ? SVM_LOCALE_INITIALIZATION_SUCCEEDED : SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
}
svm_locale_props_t *svm_get_locale(void) { return &locale_props; }

void sys_select_FD_SET(int fd, fd_set *set) { FD_SET(fd, set); }
void sys_select_FD_ZERO(fd_set *set) { FD_ZERO(set); }
int sys_param_howmany(int x, int y) { return howmany(x, y); }
int fprintfSD(FILE *s, const char *fmt, char *a0, int a1) { return fprintf(s, fmt, a0, a1); }
int openSII(const char *p, int fl, int mode) { return open(p, fl, mode); }
void codeSynchronization_clearCache(unsigned long start, unsigned long size) { __builtin___clear_cache((char *) start, (char *) (start + size)); }
int SVM_same_files(const void *a, const void *b) {
  if (a == NULL && b == NULL) return 1;
  if (a == NULL || b == NULL) return 0;
  if (strcmp(a, b) == 0) return 1;
  struct stat s1, s2;
  if (stat(a, &s1) < 0 || stat(b, &s2) < 0) return 0;
  return s1.st_dev == s2.st_dev && s1.st_ino == s2.st_ino;
}

/* sun.misc.Signal support: counting handler + semaphore (the API of GraalVM 25's cSunMiscSignal.c) */
#include <stdbool.h>
#include <sys/mman.h>
#include <sched.h>
static volatile int sig_state = 0;
static volatile long sig_table[NSIG];
static sem_t sig_sem_value;
static sem_t *sig_sem = NULL;
int cSunMiscSignal_open(void) {
  if (__sync_val_compare_and_swap(&sig_state, 0, 1) != 0) return 1;
  for (int i = 0; i < NSIG; i++) sig_table[i] = 0;
  sig_sem = &sig_sem_value;
  if (sem_init(sig_sem, 0, 0) != 0) return -1;
  return 0;
}
int cSunMiscSignal_close(void) { int r = sem_destroy(sig_sem); if (r != 0) return r; sig_sem = NULL; sig_state = 0; return 0; }
int cSunMiscSignal_awaitSemaphore(void) { int r = sem_wait(sig_sem); if (r == -1 && errno == EINTR) return 0; return r; }
int cSunMiscSignal_signalSemaphore(void) { return sem_post(sig_sem); }
bool cSunMiscSignal_signalRangeCheck(int i) { return i > 0 && i < NSIG; }
int cSunMiscSignal_checkPendingSignal(void) {
  for (int i = 0; i < NSIG; i++) if (sig_table[i] > 0) { __sync_fetch_and_add(&sig_table[i], -1); return i; }
  return -1;
}
static void sig_handler(int s) { int e = errno; if (cSunMiscSignal_signalRangeCheck(s)) { __sync_fetch_and_add(&sig_table[s], 1); cSunMiscSignal_signalSemaphore(); } errno = e; }
sig_t cSunMiscSignal_signalHandlerFunctionPointer(void) { return sig_handler; }

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) { return mremap(old_address, old_size, new_size, flags, new_address); }

/* container support (GraalVM's libsvm_container): report "not containerized" */
int svm_container_initialize(int version) { return 0; }
unsigned long svm_container_physical_memory(void) { return (unsigned long) sysconf(_SC_PHYS_PAGES) * (unsigned long) sysconf(_SC_PAGESIZE); }
long svm_container_memory_limit_in_bytes(void) { return -1; }
long svm_container_memory_and_swap_limit_in_bytes(void) { return -1; }
long svm_container_memory_soft_limit_in_bytes(void) { return -1; }
long svm_container_memory_usage_in_bytes(void) { return -1; }
long svm_container_memory_max_usage_in_bytes(void) { return -1; }
long svm_container_rss_usage_in_bytes(void) { return -1; }
long svm_container_cache_usage_in_bytes(void) { return -1; }
int svm_container_active_processor_count(void) { cpu_set_t s; if (sched_getaffinity(0, sizeof s, &s) == 0) return CPU_COUNT(&s); return (int) sysconf(_SC_NPROCESSORS_ONLN); }
