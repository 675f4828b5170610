using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Cli.Btf;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Cli;

/// <summary>
/// `csbpf btf FILE`: prints BTF types in bpftool's raw format (`bpftool btf dump file F format raw`)
/// with byte offsets added, so a struct layout can be read off directly; or C# for kernel types.
/// </summary>
public sealed class BtfCommand : ICliCommand
{
    public string Name => "btf";

    public string Usage =>
        "btf FILE [--type NAME] [--base BASE_BTF] [--ext] [--csharp --types NAME[,NAME...] [--namespace NS] [--attribute ATTR]]\n" +
        "      FILE: an ELF object (its .BTF) or raw BTF such as /sys/kernel/btf/vmlinux (module BTF is read on vmlinux).\n" +
        "      Prints each type as bpftool's raw dump does ('[id] KIND 'name' ...', members indented), adding\n" +
        "      '(byte N)' to every member, '(byte N bit B)' to bitfields and '(size N)' to typedefs, arrays and modifiers.\n" +
        "      --type NAME: only the types of that name. --ext: also .BTF.ext func_info, line_info and CO-RE relocations.\n" +
        "      --csharp --types A,B: C# (namespace CSharpBpf.Kernel) for the named types and every type they need by value\n" +
        "      ([StructLayout(Explicit)] + [FieldOffset], bitfields as properties, pointers typed when generated, else void*)\n" +
        "      (an enumerator of an anonymous enum, e.g. TCP_ESTABLISHED, brings its enum as KernelConstants);\n" +
        "      --attribute ATTR puts [ATTR(\"kernel_name\")] on each struct/union (the CO-RE mark).";

    public int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? file = null, typeName = null, basePath = null, csharpTypes = null, ns = null, attribute = null;
        bool ext = false, csharp = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Value()
            {
                if (i + 1 < args.Length) return args[++i];
                error.WriteLine($"csbpf btf: {a} needs a value");
                return null;
            }
            switch (a)
            {
                case "--type": if ((typeName = Value()) is null) return 2; break;
                case "--base": if ((basePath = Value()) is null) return 2; break;
                case "--types": if ((csharpTypes = Value()) is null) return 2; break;
                case "--namespace": if ((ns = Value()) is null) return 2; break;
                case "--attribute": if ((attribute = Value()) is null) return 2; break;
                case "--ext": ext = true; break;
                case "--csharp": csharp = true; break;
                default:
                    if (a.StartsWith("-", StringComparison.Ordinal) || file is not null)
                    {
                        error.WriteLine($"csbpf btf: unexpected argument '{a}'\nusage: csbpf {Usage}");
                        return 2;
                    }
                    file = a;
                    break;
            }
        }
        if (file is null)
        {
            error.WriteLine($"usage: csbpf {Usage}");
            return 2;
        }
        if (csharp && string.IsNullOrWhiteSpace(csharpTypes))
        {
            error.WriteLine("csbpf btf: --csharp needs --types NAME[,NAME...]");
            return 2;
        }

        var input = BtfInput.Load(file, basePath);
        var btf = input.Btf;
        if (csharp)
        {
            var names = csharpTypes!.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()).ToList();
            var emitter = new CSharpEmitter(btf, ns ?? CSharpEmitter.DefaultNamespace) { KernelTypeAttribute = attribute };
            var missing = names.Where(n => !emitter.CanResolve(n)).ToList();
            if (missing.Count > 0)
            {
                error.WriteLine($"csbpf btf: no struct, union, enum, typedef or anonymous-enum enumerator named {string.Join(", ", missing)} in {file}");
                return 1;
            }
            output.Write(emitter.Emit(names, $"csbpf btf {Path.GetFileName(file)} --csharp --types {string.Join(",", names)}"));
            return 0;
        }

        IEnumerable<BtfType> types = btf.Types;
        if (typeName is not null)
        {
            var found = btf.FindAll(typeName);
            if (found.Count == 0)
            {
                error.WriteLine($"csbpf btf: no type named '{typeName}' in {file}");
                return 1;
            }
            types = found;
        }
        foreach (var t in types) BtfRawFormatter.Write(output, btf, t, annotate: true);
        if (ext && input.Ext is not null) BtfExtPrinter.Print(output, btf, input.Ext);
        return 0;
    }
}
