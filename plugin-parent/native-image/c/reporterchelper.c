/* EXPERIMENTAL: the image builder's progress reporter reads peak RSS and the terminal width through this. */
#include <jni.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <unistd.h>
static jlong peak(void) { struct rusage r; return getrusage(RUSAGE_SELF, &r) == 0 ? (jlong) r.ru_maxrss * 1024 : -1; }
static jint cols(void) { struct winsize w; if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) != 0) return 80; return w.ws_col; }
JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *e, jclass c) { return peak(); }
JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *e, jclass c) { return cols(); }
JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_reporting_ProgressReporterCHelper_getPeakRSS0(JNIEnv *e, jclass c) { return peak(); }
JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_reporting_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *e, jclass c) { return cols(); }
