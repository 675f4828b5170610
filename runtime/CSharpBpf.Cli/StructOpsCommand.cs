using System;
using System.IO;
using CSharpBpf.Cli.Linux;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Native;

namespace CSharpBpf.Cli;

/// <summary>
/// `csbpf struct-ops register FILE.o [--pin DIR]` / `csbpf struct-ops unregister NAME`.
/// A map-update registration outlives the process (like bpftool); a .struct_ops.link one needs --pin.
/// </summary>
public sealed class StructOpsCommand : ICliCommand
{
    public string Name => "struct-ops";
    public string Usage => "struct-ops register FILE.o [--pin DIR] | unregister NAME   register/unregister struct_ops (e.g. TCP congestion control)";

    public int Run(string[] args, TextWriter output, TextWriter error) => KernelVerb.Run(Name, error, () =>
    {
        var a = new CliArgs(args);
        if (a.Positional.Count != 2) { error.WriteLine("usage: csbpf " + Usage); return 2; }
        return a.Positional[0] switch
        {
            "register" => Register(a.Positional[1], a.Option("pin"), output),
            "unregister" => Unregister(a.Positional[1], output, error),
            _ => throw new ArgumentException($"unknown struct-ops action '{a.Positional[0]}' (register, unregister)"),
        };
    });

    private static int Register(string file, string? pin, TextWriter output)
    {
        using var obj = BpfObject.Load(file);
        if (obj.StructOps.Count == 0) throw new ArgumentException($"{file} defines no struct_ops (.struct_ops or .struct_ops.link section)");
        foreach (var (name, ops) in obj.StructOps)
        {
            if (ops.ViaLink && pin is null) throw new ArgumentException($"struct_ops '{name}' is registered through a link: give --pin DIR so it outlives csbpf");
            var reg = ops.Register();
            output.WriteLine($"registered {ops.Layout.Definition.TypeName} {name} (map id {ops.Map.Id}, state {ops.State})");
            if (reg.Link is not null) reg.Link.Pin(Path.Combine(pin!, name));
            // Not disposed: the registration is meant to outlive this process (unregister with `csbpf struct-ops unregister`).
        }
        return 0;
    }

    private static int Unregister(string name, TextWriter output, TextWriter error)
    {
        foreach (uint id in ObjectInfo.MapIds())
        {
            using var map = BpfMap.FromId(id);
            if (map is null || map.Type != BpfMapType.StructOps || map.Name != name) continue;
            map.Delete(BitConverter.GetBytes(0));
            output.WriteLine($"unregistered struct_ops {name} (map id {id})");
            return 0;
        }
        error.WriteLine($"csbpf struct-ops: no registered struct_ops map named '{name}'");
        return 1;
    }
}
