using System;
using CSharpBpf.Linux;
using CSharpBpf.Vm;

namespace PolicyExtension;

/// <summary>A program extension replacing the global decision function of a loaded XDP policy: VM, then kernel.</summary>
public static class Program
{
    public static int Main()
    {
        Console.WriteLine("1. What the build produced");
        foreach (var d in new[] { Policy.BpfObject, SizeCap.BpfObject })
            foreach (var p in d.Programs) Console.WriteLine($"  program {p.Name}: section \"{p.Section}\", {p.InstructionCount} instructions");

        bool ok = true;
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            Console.WriteLine($"2. Managed VM ({engine}): frames of {Demo.SmallFrame} and {Demo.LargeFrame} bytes, before and after SizeCap.Cap replaces Policy.Decide");
            var v = Demo.RunVm(engine);
            Print(v);
            ok &= v == new Verdicts(Demo.XdpPass, Demo.XdpPass, Demo.XdpPass, Demo.XdpDrop);
        }

        Console.WriteLine("3. Linux kernel: freplace attached to the loaded Filter program's BTF FUNC Decide");
        if (Demo.WhyNotKernel() is { } reason) Console.WriteLine($"  skipped: {reason}");
        else
        {
            try
            {
                var v = Demo.RunKernel();
                Print(v);
                ok &= v == new Verdicts(Demo.XdpPass, Demo.XdpPass, Demo.XdpPass, Demo.XdpDrop);
            }
            catch (BpfException e)
            {
                // e.g. EPERM under kernel lockdown, which refuses program extensions: not a failure of the sample.
                string lockdown = Demo.LockdownMode() is { } mode ? $" (kernel lockdown: {mode})" : "";
                Console.WriteLine($"  the kernel refused the extension: {e.Message}{lockdown}; the VM result above stands");
            }
        }
        Console.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }

    private static void Print(Verdicts v)
    {
        Console.WriteLine($"  before: {Demo.SmallFrame} B → {Demo.VerdictName(v.SmallBefore)}, {Demo.LargeFrame} B → {Demo.VerdictName(v.LargeBefore)}");
        Console.WriteLine($"  after:  {Demo.SmallFrame} B → {Demo.VerdictName(v.SmallAfter)}, {Demo.LargeFrame} B → {Demo.VerdictName(v.LargeAfter)}");
    }
}
