#include "base/file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "base/testing.h"

namespace sweep {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  std::string Path(const std::string& rel) const { return (dir_ / rel).string(); }
  int CountFiles() const {
    int n = 0;
    for (auto it = fs::recursive_directory_iterator(dir_); it != fs::recursive_directory_iterator();
         ++it) {
      n += it->is_regular_file();
    }
    return n;
  }

  sweep::testing::TestDir tmp_;
  const fs::path dir_ = tmp_.path();
};

TEST_F(AtomicFile, WritesCreatesFoldersAndOverwrites) {
  ASSERT_OK(WriteFileAtomic(Path("a/b/c.json"), "one"));
  ASSERT_OK(WriteFileAtomic(Path("a/b/c.json"), "two"));
  std::string got;
  ASSERT_OK(ReadFile(Path("a/b/c.json"), &got));
  EXPECT_EQ(got, "two");
  EXPECT_EQ(CountFiles(), 1);  // no temp files left behind
}

// Both recipes: through an unnamed file (where the file system has them) and a named temp.
TEST_F(AtomicFile, CreateExclusiveWritesOnceAndNeverReplaces) {
  for (auto* create : {&CreateFileExclusive, &CreateFileExclusiveThroughTemp}) {
    fs::remove_all(Path("d"));
    ASSERT_OK(CreateDirectories(Path("d")));
    StatusOr<bool> first = (*create)(Path("d/rung.json"), "first");
    ASSERT_OK(first);
    EXPECT_TRUE(*first);
    StatusOr<bool> second = (*create)(Path("d/rung.json"), "second");
    ASSERT_OK(second);
    EXPECT_FALSE(*second);
    std::string got;
    ASSERT_OK(ReadFile(Path("d/rung.json"), &got));
    EXPECT_EQ(got, "first");
    EXPECT_EQ(CountFiles(), 1);  // the loser's temp file is gone too
  }
  EXPECT_OK(CreateFileExclusive(Path("new/folder/0-1.json"), "x"));  // creates the folders
}

// A create-only writer killed in the middle of its write (here by SIGXFSZ, the default action
// of a 1-byte file size limit: as sudden as a SIGKILL, and at a known moment) leaves no temp
// file in the folder, where the file system has unnamed files (O_TMPFILE).
TEST_F(AtomicFile, CreateExclusiveKilledMidWriteLeavesNothing) {
  ASSERT_OK(CreateDirectories(Path("rungs")));
  const int probe = ::open(Path("rungs").c_str(), O_TMPFILE | O_WRONLY, 0644);
  if (probe < 0 || ::access("/proc/self/fd", F_OK) != 0) {
    GTEST_SKIP() << "no O_TMPFILE or /proc here: the named temp fallback";
  }
  ::close(probe);
  const pid_t child = ::fork();
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_DFL);  // whatever the test runner set: the write must kill
    sigset_t xfsz;
    sigemptyset(&xfsz);
    sigaddset(&xfsz, SIGXFSZ);
    sigprocmask(SIG_UNBLOCK, &xfsz, nullptr);
    rlimit one = {1, 1}, no_core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::setrlimit(RLIMIT_FSIZE, &one);
    (void)CreateFileExclusive(Path("rungs/0-1.json"), "a promotion");
    ::_exit(0);
  }
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ) << status;
  EXPECT_EQ(CountFiles(), 0);
}

TEST_F(AtomicFile, TwoStepWriteShowsNothingUntilTheRename) {
  StatusOr<std::string> temp = WriteSyncedTemp(Path("r/result.json"), "{}");
  ASSERT_OK(temp);
  EXPECT_FALSE(fs::exists(Path("r/result.json")));
  EXPECT_EQ(fs::path(*temp).parent_path(), fs::path(Path("r")));
  ASSERT_OK(RenameSynced(*temp, Path("r/result.json")));
  std::string got;
  ASSERT_OK(ReadFile(Path("r/result.json"), &got));
  EXPECT_EQ(got, "{}");
  EXPECT_EQ(CountFiles(), 1);
}

TEST(TempName, RecognisesWhatTempPathForMakesOnly) {
  std::string temp = TempPathFor("/a/b/result.json");
  EXPECT_TRUE(IsTempName(temp.substr(temp.rfind('/') + 1)));
  EXPECT_FALSE(IsTempName("result.json"));
  EXPECT_FALSE(IsTempName(".slurm"));
  EXPECT_FALSE(IsTempName("notes.tmp.1"));
}

TEST_F(AtomicFile, TempPathIsHiddenInTheSameFolderAndUnique) {
  std::string a = TempPathFor(Path("x/model.h5"));
  std::string b = TempPathFor(Path("x/model.h5"));
  EXPECT_NE(a, b);
  EXPECT_EQ(fs::path(a).parent_path(), fs::path(Path("x")));
  EXPECT_EQ(fs::path(a).filename().string().rfind(".model.h5.tmp.", 0), 0u);
  EXPECT_EQ(TempPathFor("m.h5").find('/'), std::string::npos);
}

TEST_F(AtomicFile, FailureLeavesNoTempFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions";
  ASSERT_OK(CreateDirectories(Path("ro")));
  fs::permissions(Path("ro"), fs::perms::owner_read | fs::perms::owner_exec);
  Status s = WriteFileAtomic(Path("ro/x"), "data");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  fs::permissions(Path("ro"), fs::perms::owner_all);
  EXPECT_EQ(CountFiles(), 0);
}

// A SIGKILLed writer's temp files are removed by the next publish into the folder; a live
// writer's (this process's, or another live one's) and other files stay.
TEST_F(AtomicFile, RemoveStaleTempsRemovesOnlyDeadWritersTemps) {
  const pid_t child = sweep::testing::PidOfAnEndedProcess();
  ASSERT_GT(child, 0);
  const std::string dead = std::to_string(child), live = std::to_string(::getppid());
  for (const std::string& name : std::vector<std::string>{
           ".model.h5.tmp." + dead + ".0", ".result.json.tmp." + dead + ".3",
           ".model.h5.tmp." + live + ".1", "notes.tmp." + dead + ".0", "result.json"}) {
    ASSERT_OK(WriteFileAtomic(Path(name), "x"));
  }
  const std::string mine = TempPathFor(Path("model.h5"));
  ASSERT_OK(WriteFileAtomic(mine, "x"));
  EXPECT_EQ(RemoveStaleTemps(Path("")), 2);
  EXPECT_EQ(CountFiles(), 4);
  EXPECT_EQ(RemoveStaleTemps(Path("no-such-folder")), 0);
}

TEST_F(AtomicFile, FailedWriteLeavesNoTempFile) {
  // A 1-byte file size limit makes write() fail (EFBIG) once the temp file exists; unlike folder
  // permissions it holds for root too. SIGXFSZ would kill the process instead: ignored meanwhile.
  struct sigaction ignore = {}, old_action = {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &old_action), 0);
  rlimit old_limit = {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  rlimit limit = old_limit;
  limit.rlim_cur = 1;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  Status s = WriteFileAtomic(Path("x"), "data");
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::sigaction(SIGXFSZ, &old_action, nullptr);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();  // EFBIG: retry elsewhere
  EXPECT_NE(s.message().find("x"), std::string::npos) << s.ToString();
  EXPECT_EQ(CountFiles(), 0);
}

TEST_F(AtomicFile, WritingOverAFolderIsInvalidArgument) {
  ASSERT_OK(CreateDirectories(Path("d/sub")));
  Status s = WriteFileAtomic(Path("d"), "data");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(CountFiles(), 0);
}

TEST_F(AtomicFile, ReadMissingIsNotFound) {
  std::string got;
  EXPECT_EQ(ReadFile(Path("absent"), &got).code(), StatusCode::kNotFound);
}

TEST_F(AtomicFile, CheckWritableDir) {
  EXPECT_OK(CheckWritableDir(Path("new/dir")));
  EXPECT_EQ(CountFiles(), 0);
  ASSERT_OK(WriteFileAtomic(Path("file"), "x"));
  EXPECT_EQ(CheckWritableDir(Path("file")).code(), StatusCode::kInvalidArgument);
}

TEST(FromErrno, ClassifiesByWhatTheCallerDoesNext) {
  for (int e : {ENOSPC, EIO, EAGAIN, ESTALE, EINTR, EBUSY, EDQUOT}) {
    EXPECT_EQ(FromErrno(e, "x").code(), StatusCode::kUnavailable) << e;
  }
  EXPECT_EQ(FromErrno(ENOENT, "x").code(), StatusCode::kNotFound);
  for (int e : {EACCES, EPERM, EROFS, EISDIR, ENOTDIR}) {
    EXPECT_EQ(FromErrno(e, "x").code(), StatusCode::kInvalidArgument) << e;
  }
  EXPECT_EQ(FromErrno(ENOSPC, "write /s/1/model.h5").message(),
            "write /s/1/model.h5: No space left on device");
}

}  // namespace
}  // namespace sweep

namespace sweep {
namespace {

TEST(FileLock, SecondHolderIsRefusedWithTheFirstOnesNoteUntilReleased) {
  testing::TestDir dir;
  const std::string path = dir.Path("sub.lock");
  {
    StatusOr<FileLock> first = FileLock::TryLock(path);
    ASSERT_OK(first);
    StatusOr<FileLock> second = FileLock::TryLock(path);
    ASSERT_EQ(second.status().code(), StatusCode::kUnavailable);
    EXPECT_NE(
        second.status().message().find("held by pid " + std::to_string(::getpid()) + " since "),
        std::string::npos)
        << second.status().message();
  }
  EXPECT_OK(FileLock::TryLock(path));  // released with the object
  EXPECT_EQ(FileLock::TryLock(dir.Path("no/such/dir/x.lock")).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
TEST(ScopedFd, ClosesOnceWhetherClosedEarlyOrAtTheEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    ScopedFd read_end(fds[0]);
    ScopedFd write_end(fds[1]);
    EXPECT_EQ(write_end.Close(), 0);
    EXPECT_EQ(write_end.get(), -1);
    EXPECT_EQ(write_end.Close(), 0);  // nothing left to close
  }
  EXPECT_EQ(::fcntl(fds[0], F_GETFD), -1);  // closed by the destructor
}

}  // namespace sweep
