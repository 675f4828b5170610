using System;
using System.IO;
using System.Linq;

namespace TcpCongestion;

/// <summary>
/// The main job: the C# congestion control <see cref="CsReno"/>, compiled to eBPF by the source
/// generator at build time, (1) described, (2) run in the managed VM against a simulated TCP flow,
/// (3) registered in the kernel and used by a loopback transfer when the process may load BPF.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Options options;
        try { options = Options.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }

        byte[] elf;
        byte[]? objectElf; // null: the built-in CsReno, loaded through its generated skeleton
        string structOps, objectPath;
        string[] counterNames;
        if (options.ObjectPath is { } path)
        {
            // Any struct_ops tcp_congestion_ops object, e.g. one clang built: no counters map is assumed.
            if (!File.Exists(path)) { Console.Error.WriteLine($"error: --object {path}: no such file"); return 2; }
            elf = objectElf = File.ReadAllBytes(path);
            objectPath = Path.GetFullPath(path);
            structOps = options.StructOpsName!;
            counterNames = Array.Empty<string>();
        }
        else
        {
            elf = CsReno.BpfObject.GetElfBytes();
            objectElf = null;
            objectPath = Path.Combine(AppContext.BaseDirectory, "CsReno.bpf.o");
            structOps = "csreno";
            counterNames = CsReno.SlotNames;
        }

        Console.WriteLine("1. What the build produced");
        BuildReport.Print(elf, objectPath);

        bool vmOk = true;
        if (!options.KernelOnly)
        {
            Console.WriteLine("2. Managed VM: a simulated TCP flow over a bottleneck link (no root, no kernel)");
            string svg = options.SvgPath ?? Path.Combine(AppContext.BaseDirectory, $"{structOps}-cwnd.svg");
            vmOk = VmRun.Run(objectElf, structOps, counterNames, options, svg);
        }

        bool? kernelOk = null;
        if (!options.VmOnly)
        {
            Console.WriteLine("3. Linux kernel: register the struct_ops, select it with TCP_CONGESTION on a loopback transfer");
            kernelOk = KernelRun.Run(objectElf, structOps, counterNames, options.TransferMegabytes);
        }

        bool ok = vmOk && kernelOk != false;
        Console.WriteLine(ok ? "OK" : "FAILED: see UNEXPECTED lines above");
        return ok ? 0 : 1;
    }
}
