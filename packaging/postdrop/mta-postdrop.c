/*
 * mta-postdrop: puts one message into the mail drop of the mta relay on behalf of any local user.
 *
 * Installed set-group-ID mtadrop (mode 2755 root:mtadrop, /usr/lib/mta/mta-postdrop). The mail
 * drop's tmp/ and new/ are mode 1730 mta:mtadrop: a process of group mtadrop may create files
 * there but not list them, and the sticky bit lets no one but a file's owner (and mta, the
 * directories' owner) rename or remove it. This program is the only way an ordinary user gets
 * that group, and it does one thing with it: it copies standard input into a new file.
 *
 *   usage:  mta-postdrop < drop-file      (no arguments)
 *   input:  the complete drop file as `mta sendmail` formats it; it starts with "MTA-DROP 1\n"
 *   output: the file's name on standard output, one line
 *   exit:   0 the message is in new/ (the relay owns it now)
 *           64 any argument (EX_USAGE)
 *           65 the input does not start with "MTA-DROP 1\n" (EX_DATAERR); nothing is written
 *           75 the message was not dropped (EX_TEMPFAIL): I/O error, a missing mail drop, a
 *              message over the size limit, a signal; no file of it is left behind
 *
 * The file keeps the real user as its owner (it is created with this process's effective uid,
 * which set-group-ID leaves alone): the relay records that owner as the message's submitter.
 * Its group is mtadrop and its mode 0640, so the relay (user mta, a member of mtadrop) reads it
 * and other users cannot.
 *
 * The steps are those of the Java side's own drop (Maildir's): write tmp/<name>, fsync, rename
 * into new/<name>, make the rename durable. Names are <epoch millis, 13 digits>.<pid>.<16 hex
 * digits of randomness>, so that names sort by age and never collide.
 *
 * Compile-time settings only (a set-group-ID program must not let its caller choose where it
 * writes): -DMAILDROP="/path" (default /var/lib/mta/maildrop) and -DMAX_DROP_BYTES=n.
 * Nothing is read from the environment.
 */
#define _GNU_SOURCE /* getrandom, syncfs, O_PATH, O_NOFOLLOW, setresuid */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MAILDROP
#define MAILDROP "/var/lib/mta/maildrop"
#endif

/* The largest drop file accepted, header included: far above any message a relay forwards. */
#ifndef MAX_DROP_BYTES
#define MAX_DROP_BYTES (256L * 1024 * 1024)
#endif

/* sysexits.h values, spelled out so that the program needs nothing beyond libc's own headers. */
#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_TEMPFAIL 75

static const char HEADER[] = "MTA-DROP 1\n";
#define HEADER_LENGTH (sizeof HEADER - 1)

/* <13 digits>.<pid, at most 10 digits>.<16 hex> and a NUL, with room to spare. */
#define NAME_SIZE 64

/*
 * What a signal handler needs to remove the half-written file: the directory and name of
 * tmp/<name> while it exists, else tmp_directory is -1.
 */
static volatile sig_atomic_t tmp_directory = -1;
static char tmp_name[NAME_SIZE];

static void fail(const char *what, int error) {
    fprintf(stderr, "mta-postdrop: %s: %s\n", what, strerror(error));
}

/* Removes tmp/<name> if this run created it (and has not renamed it away). */
static void remove_tmp_file(void) {
    if (tmp_directory >= 0) {
        unlinkat(tmp_directory, tmp_name, 0);
        tmp_directory = -1;
    }
}

/*
 * The invoking user may signal this process (same real uid): a hang-up or an interrupt while it
 * copies standard input must not leave a partial file in tmp/. unlinkat and _exit are
 * async-signal-safe. (SIGKILL cannot be caught: the relay removes stale files from tmp/.)
 */
static void on_signal(int signal_number) {
    (void) signal_number;
    if (tmp_directory >= 0) {
        unlinkat(tmp_directory, tmp_name, 0);
    }
    _exit(EXIT_TEMPFAIL);
}

/*
 * A set-group-ID program started with fd 0, 1 or 2 closed would hand that number to the next
 * file it opens, and then write messages into it: fill the gaps with /dev/null first.
 */
static int ensure_standard_descriptors(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int null = open("/dev/null", O_RDWR);
            if (null != fd) {
                return -1; /* open returns the lowest free number: fd, unless it failed */
            }
        }
    }
    return 0;
}

static int install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_signal;
    const int fatal[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        if (sigaction(fatal[i], &action, NULL) != 0) {
            return -1;
        }
    }
    /* A closed stdout or stderr, or a file size limit set by the caller, must be an error
       return from write, which this program handles, not a death that leaves tmp/<name>. */
    action.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &action, NULL) != 0 || sigaction(SIGXFSZ, &action, NULL) != 0) {
        return -1;
    }
    return 0;
}

/* Reads up to `size` bytes, fewer only at end of input; -1 on a read error. */
static ssize_t read_fully(int fd, char *buffer, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = read(fd, buffer + done, size - done);
        if (n == 0) {
            break;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        done += (size_t) n;
    }
    return (ssize_t) done;
}

/* Writes all `size` bytes (write may take fewer at a time); -1 on an error. */
static int write_fully(int fd, const char *buffer, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, buffer + done, size - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        done += (size_t) n;
    }
    return 0;
}

/* Fills `bytes` from the kernel's random source: getrandom, or /dev/urandom on old kernels. */
static int random_bytes(unsigned char *bytes, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = getrandom(bytes + done, size - done, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != ENOSYS) {
                return -1;
            }
            int urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
            if (urandom < 0) {
                return -1;
            }
            ssize_t got = read_fully(urandom, (char *) bytes + done, size - done);
            int saved = errno;
            close(urandom);
            if (got != (ssize_t) (size - done)) {
                errno = got < 0 ? saved : EIO;
                return -1;
            }
            return 0;
        }
        done += (size_t) n;
    }
    return 0;
}

/* <epoch millis, 13 digits>.<pid>.<16 lowercase hex>: the order of names is the order of age. */
static int make_name(char *name, size_t size) {
    struct timespec now;
    unsigned char noise[8];
    if (clock_gettime(CLOCK_REALTIME, &now) != 0 || random_bytes(noise, sizeof noise) != 0) {
        return -1;
    }
    long long millis = (long long) now.tv_sec * 1000 + now.tv_nsec / 1000000;
    int length = snprintf(name, size, "%013lld.%ld.%02x%02x%02x%02x%02x%02x%02x%02x", millis,
            (long) getpid(), noise[0], noise[1], noise[2], noise[3], noise[4], noise[5],
            noise[6], noise[7]);
    if (length < 0 || (size_t) length >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/*
 * Copies the rest of standard input after the header into fd; returns 0, or -1 with errno set
 * (EFBIG when the input exceeds MAX_DROP_BYTES).
 */
static int copy_input(int fd) {
    static char buffer[64 * 1024];
    long long total = (long long) HEADER_LENGTH;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n == 0) {
            return 0;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        total += n;
        if (total > (long long) MAX_DROP_BYTES) {
            errno = EFBIG;
            return -1;
        }
        if (write_fully(fd, buffer, (size_t) n) != 0) {
            return -1;
        }
    }
}

/*
 * Makes the rename into new/ durable. fsync of the directory needs a descriptor opened for
 * reading, which only its owner (mta) and root can have: mode 1730 keeps others from listing
 * it, the group mtadrop of this program included. Everyone else commits the file system the
 * file lives on with syncfs, which writes out the directory entry too.
 */
static int sync_new_directory(int file) {
    int directory = open(MAILDROP "/new", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) {
        return errno == EACCES ? syncfs(file) : -1;
    }
    int result = fsync(directory);
    int saved = errno;
    close(directory);
    errno = saved;
    return result;
}

int main(int argc, char **argv) {
    (void) argv;
    if (ensure_standard_descriptors() != 0) {
        return EXIT_TEMPFAIL;
    }
    if (argc != 1) {
        fprintf(stderr, "mta-postdrop: usage: mta-postdrop < drop-file (it takes no arguments)\n");
        return EXIT_USAGE;
    }
    /*
     * Privileges: this program needs only its effective group. Installed set-user-ID by
     * mistake it would own the file as someone else and the relay would record the wrong
     * submitter: return to the real uid (a no-op when they are the same, as installed).
     */
    uid_t user = getuid();
    if (geteuid() != user && setresuid(user, user, user) != 0) {
        fail("cannot drop the effective user id", errno);
        return EXIT_TEMPFAIL;
    }
    /* rw-r-----: the owner (the submitter) and group mtadrop (the relay) read it; no one else. */
    umask(027);
    if (install_signal_handlers() != 0) {
        fail("cannot install signal handlers", errno);
        return EXIT_TEMPFAIL;
    }

    /* The header first: input that is no drop file leaves no trace in the mail drop. */
    char header[HEADER_LENGTH];
    ssize_t got = read_fully(STDIN_FILENO, header, HEADER_LENGTH);
    if (got < 0) {
        fail("cannot read standard input", errno);
        return EXIT_TEMPFAIL;
    }
    if ((size_t) got != HEADER_LENGTH || memcmp(header, HEADER, HEADER_LENGTH) != 0) {
        fprintf(stderr, "mta-postdrop: standard input is not a drop file (it must start with \"MTA-DROP 1\")\n");
        return EXIT_DATAERR;
    }

    /*
     * The two directories by descriptor (O_PATH needs search permission only), so that every
     * later step names the same directories however the paths change meanwhile.
     */
    int tmp_dir = open(MAILDROP "/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (tmp_dir < 0) {
        fail(MAILDROP "/tmp", errno);
        return EXIT_TEMPFAIL;
    }
    int new_directory = open(MAILDROP "/new", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (new_directory < 0) {
        fail(MAILDROP "/new", errno);
        return EXIT_TEMPFAIL;
    }
    if (make_name(tmp_name, sizeof tmp_name) != 0) {
        fail("cannot make a file name", errno);
        return EXIT_TEMPFAIL;
    }

    /* O_EXCL and O_NOFOLLOW: a new file of our own, never one (or a link) put there before. */
    int file = openat(tmp_dir, tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (file < 0) {
        fail("cannot create a file in " MAILDROP "/tmp", errno);
        return EXIT_TEMPFAIL;
    }
    tmp_directory = tmp_dir;

    if (write_fully(file, HEADER, HEADER_LENGTH) != 0 || copy_input(file) != 0) {
        int error = errno;
        remove_tmp_file();
        if (error == EFBIG) {
            fprintf(stderr, "mta-postdrop: the message is larger than %lld bytes\n", (long long) MAX_DROP_BYTES);
        } else {
            fail("cannot write the message", error);
        }
        return EXIT_TEMPFAIL;
    }
    if (fsync(file) != 0) {
        int error = errno;
        remove_tmp_file();
        fail("cannot write the message to disk", error);
        return EXIT_TEMPFAIL;
    }

    /*
     * From the rename on, the relay may take the file at any moment: a signal must no longer
     * turn this into a failure the caller would retry (and so send the message twice).
     */
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    if (renameat(tmp_dir, tmp_name, new_directory, tmp_name) != 0) {
        int error = errno;
        remove_tmp_file();
        fail("cannot move the message into " MAILDROP "/new", error);
        return EXIT_TEMPFAIL;
    }
    tmp_directory = -1;
    if (sync_new_directory(file) != 0) {
        int error = errno;
        /*
         * Not durable: take it back, unless the relay already has (it removes a file from new/
         * only once the message is safely in its queue, so then the message is accepted). A
         * file that cannot be taken back is in new/ and will be sent: that is success too, lest
         * the caller send it again.
         */
        if (unlinkat(new_directory, tmp_name, 0) == 0) {
            fail("cannot write the mail drop directory to disk", error);
            return EXIT_TEMPFAIL;
        }
    }
    close(file);

    /*
     * The message is the relay's now; the name is for the caller's log. A caller that closed
     * stdout still gets the exit status that says the message was accepted.
     */
    if (printf("%s\n", tmp_name) < 0 || fflush(stdout) != 0) {
        fail("the message was dropped, but its name could not be written", errno);
    }
    return 0;
}
