using System;
using System.IO;
using System.Threading;

namespace CSharpBpf.TestSupport;

/// <summary>
/// Locks over kernel-wide names that tests in different test processes would otherwise fight over.
/// `dotnet test CSharpBpf.sln` runs the test projects in parallel, and several of them register a
/// tcp_congestion_ops struct_ops (several under the same name, "csreno"): the second registration of
/// a name fails with EEXIST, and a test reading the available congestion controls sees another's.
/// The lock is an exclusive open of a file under the temp folder (.NET takes an flock for
/// FileShare.None on Linux), so it serialises across processes and between threads of one process,
/// and the kernel drops it if a test process dies.
/// </summary>
public static class KernelLocks
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    /// <summary>Held while a test registers tcp_congestion_ops struct_ops (any name).</summary>
    public static IDisposable StructOps() => Acquire("tcp-congestion-ops");

    public static IDisposable Acquire(string name, TimeSpan? wait = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"csharpbpf-test-{name}.lock");
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"the kernel test lock '{name}' ({path}) was not free within {(wait ?? DefaultWait).TotalSeconds:F0} s", e);
            }
        }
    }
}
