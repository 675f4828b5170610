using System;
using System.IO;
using System.Linq;

namespace PacketFilter;

/// <summary>
/// The main job until the congestion-control sample lands: a C# XDP filter, compiled to eBPF by the
/// source generator at build time, run in the managed VM (interpreter and JIT), then — when the
/// process may load BPF — verified by the kernel and run through BPF_PROG_TEST_RUN.
/// </summary>
public static class Program
{
    public static int Main()
    {
        var description = UdpFilter.BpfObject;
        byte[] elf = description.GetElfBytes();
        string objectPath = Path.Combine(AppContext.BaseDirectory, "UdpFilter.bpf.o");

        Console.WriteLine("1. What the build produced");
        Console.WriteLine($"  object: {objectPath} ({elf.Length} bytes{(File.Exists(objectPath) ? "" : ", not written: build with the CSharpBpf targets")})");
        foreach (var p in description.Programs) Console.WriteLine($"  program {p.Name}: section \"{p.Section}\", {p.InstructionCount} instructions");
        foreach (var m in description.Maps) Console.WriteLine($"  map {m.Name}: {m.MapType}, {m.MaxEntries} entries");

        Console.WriteLine("2. Managed VM (no root, no kernel)");
        bool vmOk = VmRun.Run();

        Console.WriteLine("3. Linux kernel");
        bool? kernelOk = KernelRun.Run();

        bool ok = vmOk && kernelOk != false;
        Console.WriteLine(ok ? "OK: every packet got the expected verdict" : "FAILED: see UNEXPECTED lines above");
        return ok ? 0 : 1;
    }
}
