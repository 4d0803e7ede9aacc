// The project model, generators, writer and build.
