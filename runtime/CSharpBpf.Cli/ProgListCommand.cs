using System;
using System.IO;
using System.Linq;
using CSharpBpf.Cli.Linux;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Cli;

/// <summary>`csbpf prog list`: every program the kernel has loaded (id, type, name, map ids).</summary>
public sealed class ProgListCommand : ICliCommand
{
    public string Name => "prog";
    public string Usage => "prog list                      list the kernel's loaded BPF programs";

    public int Run(string[] args, TextWriter output, TextWriter error) => KernelVerb.Run(Name, error, () =>
    {
        if (args.Length != 1 || args[0] != "list") { error.WriteLine("usage: csbpf " + Usage); return 2; }
        foreach (uint id in ObjectInfo.ProgramIds())
        {
            using var prog = BpfProgram.FromId(id);
            if (prog is null) continue; // unloaded meanwhile
            var maps = prog.MapIds();
            output.WriteLine($"{id}: {prog.Type} name {(prog.Name.Length == 0 ? "-" : prog.Name)}{(maps.Length > 0 ? " maps " + string.Join(",", maps) : "")}");
        }
        return 0;
    });
}
