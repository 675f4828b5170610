using System.Linq;
using CSharpBpf.TestSupport;
using SyscallCounter;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/SyscallCounter: counts only the target thread's system calls, by number.</summary>
public sealed class SyscallCounterTests
{
    [Fact]
    public void In_the_vm_only_the_target_threads_calls_are_counted_by_number()
    {
        var counts = VmDemo.Run();
        var ours = VmDemo.Stream.Where(e => e.Tid == VmDemo.OurTid).ToList();
        Assert.Equal((ulong)ours.Count(e => e.Nr == SyscallNames.Getppid), counts[SyscallNames.Getppid]);
        Assert.Equal((ulong)ours.Count(e => e.Nr == SyscallNames.Write), counts[SyscallNames.Write]);
        Assert.False(counts.ContainsKey(SyscallNames.Read)); // only the other thread reads
    }

    [SkippableFact]
    public void In_the_kernel_every_getppid_of_this_thread_is_counted()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(KernelDemo.WhyNot() is not null, KernelDemo.WhyNot());
        var counts = KernelDemo.Run(500);
        Assert.Equal(500UL, counts[SyscallNames.Getppid]);
    }
}
