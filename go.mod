module github.com/uqe-dev/uqe

go 1.26
