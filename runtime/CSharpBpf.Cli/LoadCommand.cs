using System.IO;
using CSharpBpf.Cli.Linux;
using CSharpBpf.Linux.Loader;

namespace CSharpBpf.Cli;

/// <summary>`csbpf load FILE.o [--pin DIR]`: loads every program and map into the kernel (pinning them under DIR to keep them).</summary>
public sealed class LoadCommand : ICliCommand
{
    public string Name => "load";
    public string Usage => "load FILE.o [--pin DIR]        load an object's maps and programs into the kernel (kept only when pinned under a bpffs DIR)";

    public int Run(string[] args, TextWriter output, TextWriter error) => KernelVerb.Run(Name, error, () =>
    {
        var a = new CliArgs(args);
        if (a.Positional.Count != 1) { error.WriteLine("usage: csbpf " + Usage); return 2; }
        using var obj = BpfObject.Load(a.Positional[0]);
        string? pin = a.Option("pin");
        foreach (var (name, prog) in obj.Programs)
        {
            output.WriteLine($"program {name}: {prog.Type} id {prog.Id} ({obj.Linked[name].Instructions.Count} instructions, section {prog.SectionName})");
            if (pin is not null) prog.Pin(Path.Combine(pin, name));
        }
        foreach (var (name, map) in obj.Maps)
        {
            output.WriteLine($"map {name}: {map.Type} id {map.Id} key {map.KeySize} value {map.ValueSize} max {map.MaxEntries}");
            if (pin is not null && map.PinPath is null) map.Pin(Path.Combine(pin, name.TrimStart('.')));
        }
        if (pin is null) output.WriteLine("(not pinned: released when csbpf exits)");
        return 0;
    });
}
