#!/usr/bin/env python3
"""EXPERIMENTAL (compensa-plugin-parent's native profile): the builder options for a plugin jar.

What the native-image driver does with a jar's META-INF/native-image, done here because the driver
is not on Maven Central: the reflect/jni/resource/proxy/serialization configurations become
-H:*ConfigurationResources options, and the --initialize-at-run-time arguments of each
native-image.properties become -H:ClassInitialization. Package-wide --initialize-at-build-time
(grpc-netty-shaded's netty) is left out: it pulls the plugin SDK's loggers into the image heap,
and GraalVM 25 initializes classes at run time by default anyway.

It also writes a reflection configuration for the generated protobuf classes of the Compensa wire,
gRPC health and reflection, and protobuf's well-known types: protobuf-java looks their accessors
up reflectively.

Usage: configure.py PLUGIN_JAR WORK_DIR; prints the options, one a line.
"""
import json
import os
import re
import sys
import zipfile

CONFIG_OPTIONS = {
    "reflect-config.json": "ReflectionConfigurationResources",
    "jni-config.json": "JNIConfigurationResources",
    "resource-config.json": "ResourceConfigurationResources",
    "proxy-config.json": "DynamicProxyConfigurationResources",
    "serialization-config.json": "SerializationConfigurationResources",
}
PROTOBUF_CLASSES = re.compile(
    r"^(io/compensa/proto/|io/grpc/health/v1/|io/grpc/reflection/v1/"
    r"|com/google/protobuf/(Any|Struct|Value|ListValue|Timestamp|Duration|Empty|NullValue|FieldMask"
    r"|[A-Z][a-z]+Value)(\$|\.class)).*\.class$")


def main(jar_path, work):
    options = []
    configs = {option: [] for option in CONFIG_OPTIONS.values()}
    initialization = []
    protobuf = []
    with zipfile.ZipFile(jar_path) as jar:
        for name in jar.namelist():
            base = os.path.basename(name)
            if name.startswith("META-INF/native-image/") and base in CONFIG_OPTIONS:
                configs[CONFIG_OPTIONS[base]].append(name)
            elif name.startswith("META-INF/native-image/") and base == "native-image.properties":
                text = jar.read(name).decode("utf-8").replace("\\\n", " ")
                for line in text.splitlines():
                    if line.strip().startswith("Args"):
                        for arg in line.split("=", 1)[1].split():
                            if arg.startswith("--initialize-at-run-time="):
                                for cls in arg.split("=", 1)[1].split(","):
                                    initialization.append(cls + ":run_time")
            elif PROTOBUF_CLASSES.match(name):
                protobuf.append(name[: -len(".class")].replace("/", "."))
    for option, files in configs.items():
        if files:
            options.append("-H:%s=%s" % (option, ",".join(files)))
    if initialization:
        options.append("-H:ClassInitialization=" + ",".join(initialization))
    if protobuf:
        path = os.path.join(work, "protobuf-reflect-config.json")
        everything = {
            "allDeclaredConstructors": True,
            "allPublicConstructors": True,
            "allDeclaredMethods": True,
            "allPublicMethods": True,
            "allDeclaredFields": True,
            "allPublicFields": True,
        }
        with open(path, "w") as out:
            json.dump([dict(name=cls, **everything) for cls in protobuf], out)
        options.append("-H:ReflectionConfigurationFiles=" + path)
    print("\n".join(options))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
