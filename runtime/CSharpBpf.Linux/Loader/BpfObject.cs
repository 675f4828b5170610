using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Linux.StructOps;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// An object file loaded into the kernel: its BTF, maps (including global data and struct_ops)
/// and programs. Dispose releases everything it created (struct_ops registrations first).
/// </summary>
public sealed class BpfObject : IDisposable
{
    internal readonly List<IDisposable> Owned = new();
    internal readonly Dictionary<string, BpfMap> MapsByName = new();
    internal readonly Dictionary<string, BpfProgram> ProgramsByName = new();
    internal readonly Dictionary<string, StructOpsMap> StructOpsByName = new();
    internal readonly List<StructOpsRegistration> Registrations = new();
    private bool _disposed;

    internal BpfObject(ObjectSpec spec) => Spec = spec;

    public ObjectSpec Spec { get; }
    public BpfFd? BtfFd { get; internal set; }
    public IReadOnlyDictionary<string, BpfMap> Maps => MapsByName;
    public IReadOnlyDictionary<string, BpfProgram> Programs => ProgramsByName;
    public IReadOnlyDictionary<string, StructOpsMap> StructOps => StructOpsByName;
    /// <summary>Per program, the linked instructions that were loaded (after relocation), for diagnostics.</summary>
    public Dictionary<string, LinkedProgram> Linked { get; } = new();

    public static BpfObject Load(string path, LoadOptions? options = null) => Load(ObjectSpec.Read(path), options);

    public static BpfObject Load(ObjectSpec spec, LoadOptions? options = null) => ObjectLoader.Load(spec, options ?? new LoadOptions());

    public BpfMap Map(string name) => MapsByName.TryGetValue(name, out var m) ? m
        : throw new KeyNotFoundException($"object '{Spec.Name}' has no map '{name}' (has: {string.Join(", ", MapsByName.Keys)})");

    public BpfProgram Program(string name) => ProgramsByName.TryGetValue(name, out var p) ? p
        : throw new KeyNotFoundException($"object '{Spec.Name}' has no loaded program '{name}' (has: {string.Join(", ", ProgramsByName.Keys)})");

    /// <summary>Registers every struct_ops map; the registrations end when this object is disposed (or earlier, by disposing them).</summary>
    public IReadOnlyList<StructOpsRegistration> RegisterStructOps()
    {
        var list = new List<StructOpsRegistration>();
        foreach (var s in StructOpsByName.Values)
        {
            var r = s.Register();
            Registrations.Add(r);
            list.Add(r);
        }
        return list;
    }

    /// <summary>Reads a global variable (.data/.rodata/.bss) from the kernel's copy.</summary>
    public T ReadGlobal<T>(string variable) where T : unmanaged
    {
        var (map, v) = FindGlobal(variable);
        var value = map.Lookup(BitConverter.GetBytes(0)) ?? throw new BpfException($"global data map '{map.Name}' has no value");
        return MemoryMarshal.Read<T>(value.AsSpan(v.Offset));
    }

    /// <summary>Writes a global variable in a writable data map (.data/.bss).</summary>
    public void WriteGlobal<T>(string variable, T value) where T : unmanaged
    {
        var (map, v) = FindGlobal(variable);
        var data = map.Lookup(BitConverter.GetBytes(0)) ?? throw new BpfException($"global data map '{map.Name}' has no value");
        MemoryMarshal.Write(data.AsSpan(v.Offset), in value);
        map.Update(BitConverter.GetBytes(0), data);
    }

    private (BpfMap Map, GlobalVariable Var) FindGlobal(string variable)
    {
        foreach (var def in Spec.Maps)
            if (def.GlobalVariables.TryGetValue(variable, out var v) && MapsByName.TryGetValue(def.Name, out var m))
                return (m, v);
        throw new KeyNotFoundException($"object '{Spec.Name}' has no global variable '{variable}'");
    }

    /// <summary>Removes the pins of maps this object pinned or reused (pins otherwise outlive the process).</summary>
    public void Unpin()
    {
        foreach (var m in MapsByName.Values)
        {
            if (m.PinPath is not null && System.IO.File.Exists(m.PinPath)) System.IO.File.Delete(m.PinPath);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var errors = new List<Exception>();
        foreach (var r in Registrations) Try(r.Dispose, errors);
        for (int i = Owned.Count - 1; i >= 0; i--) Try(Owned[i].Dispose, errors);
        if (errors.Count > 0) throw new AggregateException($"disposing object '{Spec.Name}'", errors);
    }

    private static void Try(Action a, List<Exception> errors)
    {
        try { a(); }
        catch (Exception e) { errors.Add(e); }
    }
}
